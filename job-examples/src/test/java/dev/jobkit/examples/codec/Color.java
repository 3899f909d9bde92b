package dev.jobkit.examples.codec;

/** An enum field type. */
public enum Color {
  RED,
  GREEN,
  BLUE
}
