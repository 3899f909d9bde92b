package dev.jobkit.http;

import dev.jobkit.http.internal.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON for assertions: a document as plain maps, lists and scalars, and a dotted getter. */
final class J {
  private J() {}

  static Object parse(String text) {
    return plain(Json.read(text));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> obj(String text) {
    return (Map<String, Object>) parse(text);
  }

  private static Object plain(Json.Node n) {
    if (n.object() != null) {
      Map<String, Object> m = new LinkedHashMap<>();
      n.object().forEach((k, v) -> m.put(k, plain(v)));
      return m;
    }
    if (n.array() != null) {
      List<Object> l = new ArrayList<>();
      n.array().forEach(v -> l.add(plain(v)));
      return l;
    }
    return n.value() instanceof Number x && !(x instanceof Double)
        ? (Object) x.longValue()
        : n.value();
  }

  /** {@code get(doc, "a.b.0.c")}: members by name, array elements by index. */
  @SuppressWarnings("unchecked")
  static Object get(Object doc, String path) {
    Object cur = doc;
    String[] parts = path.split("\\.");
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      if (cur instanceof Map<?, ?> m) {
        // a key may itself hold dots ("/api/v1/openapi.json"): take the longest that exists
        int j = parts.length;
        while (j > i + 1 && !m.containsKey(String.join(".", List.of(parts).subList(i, j)))) {
          j--;
        }
        cur = ((Map<String, Object>) m).get(String.join(".", List.of(parts).subList(i, j)));
        i = j - 1;
      } else if (cur instanceof List<?> l) {
        cur = l.get(Integer.parseInt(p));
      } else {
        return null;
      }
    }
    return cur;
  }
}
