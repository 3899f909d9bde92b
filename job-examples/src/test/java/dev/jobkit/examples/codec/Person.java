package dev.jobkit.examples.codec;

import dev.jobkit.WireName;
import java.util.List;

/** A nested class with a recursive field. */
public class Person {
  public String name;

  @WireName("kids")
  public List<Person> children;

  public Person() {}

  public Person(String name, List<Person> children) {
    this.name = name;
    this.children = children;
  }
}
