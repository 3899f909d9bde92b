package dev.jobkit.examples.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Component;

/** An ordinary bean that jobs use: it "sends" greetings and remembers whom it greeted. */
@Component
public class Greetings {
  private final List<String> sent = new CopyOnWriteArrayList<>();

  /** Greets {@code name} and returns the greeting. */
  public String greet(String name) {
    sent.add(name);
    return "Welcome, " + name + "!";
  }

  /** Everyone greeted so far, in order. */
  public List<String> sent() {
    return List.copyOf(sent);
  }
}
