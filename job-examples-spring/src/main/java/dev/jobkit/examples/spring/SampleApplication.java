package dev.jobkit.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The example application: run this class from an IDE, or its tests ({@code mvn verify}). */
@SpringBootApplication
public class SampleApplication {

  /** Starts the application. */
  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }
}
