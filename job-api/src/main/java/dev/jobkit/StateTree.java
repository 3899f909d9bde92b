package dev.jobkit;

import dev.jobkit.spi.MsgpackReader;
import dev.jobkit.spi.MsgpackSupport;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.value.ValueType;

/**
 * Converts MessagePack state to and from a plain Java tree, so that {@link Upgrade @Upgrade} steps
 * can rewrite old state without knowing MessagePack. Only used on the (rare) upgrade path.
 */
final class StateTree {

  private StateTree() {}

  /**
   * Reads a MessagePack map into a mutable, insertion-ordered map, checking lengths and depth as
   * the generated readers do ({@link MsgpackReader}).
   */
  static Map<String, Object> read(byte[] bytes, int maxLength) throws IOException {
    MsgpackReader in = new MsgpackReader(bytes, maxLength);
    if (!in.hasNext() || in.nextType() != ValueType.MAP) {
      throw new IOException("state is not a MessagePack map");
    }
    Map<String, Object> root = new LinkedHashMap<>();
    int size = in.readObjectHeader();
    for (int i = 0; i < size; i++) {
      Object key = readValue(in, 1);
      root.put(String.valueOf(key), readValue(in, 1));
    }
    return root;
  }

  private static Object readValue(MsgpackReader in, int depth) throws IOException {
    if (depth > MsgpackSupport.MAX_DEPTH) {
      throw MsgpackSupport.decode(
          "$", "values nested more than " + MsgpackSupport.MAX_DEPTH + " deep", null);
    }
    switch (in.nextType()) {
      case NIL:
        in.tryReadNil();
        return null;
      case BOOLEAN:
        return in.readBoolean();
      case INTEGER:
        return in.readIntegerValue();
      case FLOAT:
        return in.readDouble();
      case STRING:
        return in.readString();
      case BINARY:
        return in.readBinary();
      case ARRAY:
        {
          int size = in.readArrayHeader();
          List<Object> list = new ArrayList<>(size);
          for (int i = 0; i < size; i++) {
            list.add(readValue(in, depth + 1));
          }
          return list;
        }
      case MAP:
        {
          int size = in.readMapHeader();
          Map<Object, Object> map = new LinkedHashMap<>();
          for (int i = 0; i < size; i++) {
            Object key = readValue(in, depth + 1);
            map.put(key, readValue(in, depth + 1));
          }
          return map;
        }
      default:
        // An extension: only the timestamp is written by jobkit.
        return in.readInstant();
    }
  }

  /** Writes a tree made of the types {@link Upgrade} documents back to MessagePack. */
  static byte[] write(Map<String, Object> tree) throws IOException {
    try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
      writeValue(out, tree, "$");
      return out.toByteArray();
    }
  }

  private static void writeValue(MessagePacker out, Object value, String path) throws IOException {
    if (value == null) {
      out.packNil();
    } else if (value instanceof String) {
      out.packString((String) value);
    } else if (value instanceof Boolean) {
      out.packBoolean((Boolean) value);
    } else if (value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte) {
      out.packLong(((Number) value).longValue());
    } else if (value instanceof BigInteger) {
      out.packBigInteger((BigInteger) value);
    } else if (value instanceof Float) {
      out.packFloat((Float) value);
    } else if (value instanceof Double) {
      out.packDouble((Double) value);
    } else if (value instanceof byte[]) {
      byte[] bytes = (byte[]) value;
      out.packBinaryHeader(bytes.length);
      out.writePayload(bytes);
    } else if (value instanceof Instant) {
      out.packTimestamp((Instant) value);
    } else if (value instanceof Enum<?>) {
      out.packString(((Enum<?>) value).name());
    } else if (value instanceof List<?>) {
      List<?> list = (List<?>) value;
      out.packArrayHeader(list.size());
      for (int i = 0; i < list.size(); i++) {
        writeValue(out, list.get(i), path + "[" + i + "]");
      }
    } else if (value instanceof Map<?, ?>) {
      Map<?, ?> map = (Map<?, ?>) value;
      out.packMapHeader(map.size());
      for (Map.Entry<?, ?> e : map.entrySet()) {
        writeValue(out, e.getKey(), path);
        writeValue(out, e.getValue(), path + "." + e.getKey());
      }
    } else {
      throw new IOException(
          path
              + ": an upgrade step left a "
              + value.getClass().getName()
              + "; use null, Boolean, Long, BigInteger, Double, String, byte[], Instant, List or Map");
    }
  }
}
