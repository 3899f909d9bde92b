package dev.jobkit.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The value of every {@code --queue} option: a queue name, which must not be blank. Checked while
 * parsing, so that {@code submit}, {@code list} and {@code worker} refuse it alike, before anything
 * is opened.
 */
final class QueueNames implements ITypeConverter<String> {
  @Override
  public String convert(String value) {
    if (value.isBlank()) {
      throw new TypeConversionException("a queue name must not be blank");
    }
    return value;
  }
}
