package dev.jobkit.runtime.internal.schedule;

/** TEMPORARY stub until the cron helper's branch is merged. */
public final class CronExpression {
  private final String expression;

  private CronExpression(String expression) {
    this.expression = expression;
  }

  public static CronExpression parse(String expression) {
    if (expression.isBlank()) {
      throw new IllegalArgumentException("cron '': empty");
    }
    return new CronExpression(expression.strip());
  }

  public String expression() {
    return expression;
  }

  public boolean hasSeconds() {
    return false;
  }

  public boolean everyHour() {
    return false;
  }
}
