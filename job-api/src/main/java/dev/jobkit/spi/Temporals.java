package dev.jobkit.spi;

/** Reasons given when a date, time or duration string does not parse. */
final class Temporals {
  static final String DURATION = "expected an ISO-8601 duration such as PT30M but found '";
  static final String INSTANT =
      "expected an ISO-8601 instant such as 2024-01-31T10:15:30Z but found '";
  static final String LOCAL_DATE = "expected an ISO-8601 date such as 2024-01-31 but found '";
  static final String LOCAL_DATE_TIME =
      "expected an ISO-8601 local date-time such as 2024-01-31T10:15:30 but found '";
  static final String OFFSET_DATE_TIME =
      "expected an ISO-8601 date-time with offset such as 2024-01-31T10:15:30+01:00 but found '";

  private Temporals() {}
}
