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
    for (String p : path.split("\\.")) {
      if (cur instanceof Map<?, ?> m) {
        cur = ((Map<String, Object>) m).get(p);
      } else if (cur instanceof List<?> l) {
        cur = l.get(Integer.parseInt(p));
      } else {
        return null;
      }
    }
    return cur;
  }
}
