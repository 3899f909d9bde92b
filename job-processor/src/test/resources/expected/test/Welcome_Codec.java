package test;

import com.fasterxml.jackson.core.JsonToken;
import dev.jobkit.JobDecodeException;
import dev.jobkit.spi.JobCodec;
import dev.jobkit.spi.JsonReader;
import dev.jobkit.spi.JsonSupport;
import dev.jobkit.spi.JsonWriter;
import dev.jobkit.spi.MsgpackReader;
import dev.jobkit.spi.MsgpackSupport;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.annotation.processing.Generated;
import org.msgpack.core.MessagePacker;

/**
 * Reads and writes {@link Welcome} as MessagePack and JSON.
 */
@Generated("dev.jobkit.processor.JobProcessor")
public final class Welcome_Codec implements JobCodec<Welcome> {
  public static final Welcome_Codec INSTANCE = new Welcome_Codec();

  private static final byte[] MSGPACK_USER_ID = MsgpackSupport.key("userId");

  private static final char[] JSON_USER_ID = JsonWriter.name("userId");

  private static final byte[] MSGPACK_EXTRAS = MsgpackSupport.key("extras");

  private static final char[] JSON_EXTRAS = JsonWriter.name("extras");

  private static final MsgpackSupport.Keys MSGPACK_KEYS = MsgpackSupport.keys("userId", "extras");

  private static final JsonReader.Keys JSON_KEYS = JsonReader.keys("userId", "extras", "@version");

  private static final String KNOWN_FIELDS = "extras, userId";

  private Welcome_Codec() {
  }

  @Override
  public void writeMsgpack(MessagePacker out, Welcome value) throws IOException {
    if (value == null) {
      out.packNil();
      return;
    }
    out.packMapHeader(2);
    out.writePayload(MSGPACK_USER_ID);
    String v1 = value.userId;
    if (v1 == null) {
      out.packNil();
    } else {
      out.packString(v1);
    }
    out.writePayload(MSGPACK_EXTRAS);
    Map<String, Integer> v2 = value.extras;
    if (v2 == null) {
      out.packNil();
    } else {
      out.packMapHeader(v2.size());
      for (Map.Entry<String, Integer> e3 : v2.entrySet()) {
        out.packString(e3.getKey());
        Integer v4 = e3.getValue();
        if (v4 == null) {
          out.packNil();
        } else {
          out.packInt(v4);
        }
      }
    }
  }

  @Override
  public Welcome readMsgpack(MsgpackReader in) throws IOException {
    if (in.tryReadNil()) {
      return null;
    }
    int size = in.readObjectHeader();
    Welcome value = new Welcome();
    String key = null;
    try {
      for (int index = 0; index < size; index++) {
        // Cleared so that a failed key read is not blamed on the previous field.
        key = null;
        // A known key comes back as the very String of its case below, without being decoded.
        key = in.readKey(MSGPACK_KEYS);
        switch (key) {
          case "userId": {
            String v1;
            if (in.tryReadNil()) {
              v1 = null;
            } else {
              v1 = in.readString();
            }
            value.userId = v1;
            break;
          }
          case "extras": {
            Map<String, Integer> v2;
            if (in.tryReadNil()) {
              v2 = null;
            } else {
              int n3 = in.readMapHeader();
              Map<String, Integer> r4 = new LinkedHashMap<>(n3);
              String k6 = null;
              try {
                for (int i5 = 0; i5 < n3; i5++) {
                  k6 = in.readString();
                  Integer v7;
                  if (in.tryReadNil()) {
                    v7 = null;
                  } else {
                    v7 = in.readInt();
                  }
                  r4.put(k6, v7);
                }
              } catch (JobDecodeException e) {
                throw MsgpackSupport.atField(e, k6);
              }
              v2 = r4;
            }
            value.extras = v2;
            break;
          }
          default:
            in.skipValue();
            break;
        }
      }
    } catch (JobDecodeException e) {
      throw MsgpackSupport.atField(e, key);
    }
    in.endObject();
    return value;
  }

  @Override
  public void writeJson(JsonWriter out, Welcome value) throws IOException {
    if (value == null) {
      out.writeNull();
      return;
    }
    out.writeStartObject();
    out.writeFieldName(JSON_USER_ID);
    String v1 = value.userId;
    if (v1 == null) {
      out.writeNull();
    } else {
      out.writeString(v1);
    }
    out.writeFieldName(JSON_EXTRAS);
    Map<String, Integer> v2 = value.extras;
    if (v2 == null) {
      out.writeNull();
    } else {
      out.writeStartObject();
      for (Map.Entry<String, Integer> e3 : v2.entrySet()) {
        out.writeFieldName(e3.getKey());
        Integer v4 = e3.getValue();
        if (v4 == null) {
          out.writeNull();
        } else {
          out.writeNumber(v4);
        }
      }
      out.writeEndObject();
    }
    out.writeEndObject();
  }

  @Override
  public Welcome readJson(JsonReader in, boolean strict) throws IOException {
    if (in.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    JsonSupport.expectObject(in);
    Welcome value = new Welcome();
    int field;
    // Each case is the position of a name in JSON_KEYS; its comment, the Java field.
    while ((field = in.nextField(JSON_KEYS)) != JsonReader.END_OF_OBJECT) {
      switch (field) {
        case 0: { // userId
          in.nextToken();
          String v1;
          if (in.currentToken() == JsonToken.VALUE_NULL) {
            v1 = null;
          } else {
            v1 = JsonSupport.readString(in);
          }
          value.userId = v1;
          break;
        }
        case 1: { // extras
          in.nextToken();
          value.extras = readJsonExtras(in, strict);
          break;
        }
        case 2: // @version
          in.nextToken();
          in.skipChildren();
          break;
        default:
          if (strict) {
            throw JsonSupport.unknownField(in, KNOWN_FIELDS);
          }
          in.nextToken();
          in.skipChildren();
          break;
      }
    }
    return value;
  }

  /**
   * Reads {@code extras}; in a method of its own, so that the JIT inlines the calls of its loop.
   */
  private static Map<String, Integer> readJsonExtras(JsonReader in, boolean strict) throws
      IOException {
    Map<String, Integer> v1;
    if (in.currentToken() == JsonToken.VALUE_NULL) {
      v1 = null;
    } else {
      JsonSupport.expectObject(in);
      Map<String, Integer> r2 = new LinkedHashMap<>();
      String name3;
      while ((name3 = in.nextMapKey()) != null) {
        in.nextToken();
        Integer v4;
        if (in.currentToken() == JsonToken.VALUE_NULL) {
          v4 = null;
        } else {
          v4 = JsonSupport.readInt(in);
        }
        int size5 = r2.size();
        r2.put(name3, v4);
        // The map did not grow: the name repeats an earlier one (the reader decides).
        if (r2.size() == size5) {
          in.repeatedKey();
        }
      }
      v1 = r2;
    }
    return v1;
  }
}
