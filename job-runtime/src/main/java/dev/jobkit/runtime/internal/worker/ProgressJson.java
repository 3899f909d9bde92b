package dev.jobkit.runtime.internal.worker;

import dev.jobkit.Progress;
import java.util.Map;

/**
 * Writes a {@link Progress} as the JSON object stored with the job: {@code kind}, {@code percent}
 * (when known), {@code done}/{@code total}/{@code unit} for counts, {@code message} and {@code
 * details}. Detail values that are not numbers, booleans or nested maps are written as strings.
 */
final class ProgressJson {
  private ProgressJson() {}

  static String write(Progress p) {
    StringBuilder b = new StringBuilder(96).append('{');
    b.append("\"kind\":");
    string(b, p.kind().name());
    double pct = p.percent();
    if (!Double.isNaN(pct)) {
      b.append(",\"percent\":").append(pct);
    }
    if (p.kind() == Progress.Kind.COUNT) {
      b.append(",\"done\":").append(p.done()).append(",\"total\":").append(p.total());
      if (p.unit() != null && !p.unit().isEmpty()) {
        b.append(",\"unit\":");
        string(b, p.unit());
      }
    }
    if (p.message() != null && !p.message().isEmpty()) {
      b.append(",\"message\":");
      string(b, p.message());
    }
    if (!p.details().isEmpty()) {
      b.append(",\"details\":");
      map(b, p.details());
    }
    return b.append('}').toString();
  }

  private static void map(StringBuilder b, Map<?, ?> m) {
    b.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!first) {
        b.append(',');
      }
      first = false;
      string(b, String.valueOf(e.getKey()));
      b.append(':');
      value(b, e.getValue());
    }
    b.append('}');
  }

  private static void value(StringBuilder b, Object v) {
    if (v == null) {
      b.append("null");
    } else if (v instanceof Boolean
        || v instanceof Integer
        || v instanceof Long
        || v instanceof Short
        || v instanceof Byte) {
      b.append(v);
    } else if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
      b.append(n.doubleValue());
    } else if (v instanceof Map<?, ?> m) {
      map(b, m);
    } else {
      string(b, String.valueOf(v));
    }
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
