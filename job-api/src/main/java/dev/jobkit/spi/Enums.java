package dev.jobkit.spi;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Enum lookups shared by the MessagePack and JSON support. */
final class Enums {
  private Enums() {}

  static <E extends Enum<E>> E valueOf(Class<E> type, String name) {
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static String unknown(Class<? extends Enum<?>> type, String name) {
    return "unknown value '"
        + name
        + "' (expected one of "
        + Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "))
        + ")";
  }
}
