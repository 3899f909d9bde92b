package dev.jobkit.cli;

import dev.jobkit.runtime.RetentionPolicy;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A retention time: a positive duration as {@link Durations} reads it, or {@code forever} ({@link
 * RetentionPolicy#FOREVER}).
 */
final class KeepDurations implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    if (value.trim().toLowerCase(Locale.ROOT).equals("forever")) {
      return RetentionPolicy.FOREVER;
    }
    Duration d = Durations.parse(value);
    if (d.isZero()) {
      throw new TypeConversionException(
          "'" + value + "' keeps nothing: give a positive duration such as 7d, or 'forever'");
    }
    return d;
  }
}
