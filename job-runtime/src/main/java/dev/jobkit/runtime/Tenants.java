package dev.jobkit.runtime;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Tenants (#14): every job, schedule, template and batch belongs to one. Jobs dispatched without a
 * tenant belong to {@link #DEFAULT}, so an application that never names one is a single tenant.
 */
public final class Tenants {
  /** The tenant of everything dispatched without one, and of everything stored before tenants. */
  public static final String DEFAULT = "default";

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

  private Tenants() {}

  /**
   * Returns {@code name} when it is a valid tenant name: 1 to 63 characters, lower-case letters,
   * digits, '-', '_' or '.', starting with a letter or digit.
   *
   * @throws IllegalArgumentException naming what is wrong, otherwise
   */
  public static String checkName(String name) {
    Objects.requireNonNull(name, "tenant");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "tenant '"
              + name
              + "' is not a valid tenant name: use 1 to 63 lower-case letters, digits, '-', '_'"
              + " or '.', starting with a letter or digit");
    }
    return name;
  }
}
