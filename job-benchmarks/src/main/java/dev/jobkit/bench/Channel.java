package dev.jobkit.bench;

/** The enum field of {@link Sample}; written by name by every codec measured. */
public enum Channel {
  EMAIL,
  SMS,
  PUSH,
  WEBHOOK
}
