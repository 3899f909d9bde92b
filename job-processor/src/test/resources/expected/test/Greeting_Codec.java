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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.Generated;
import org.msgpack.core.MessagePacker;

/**
 * Reads and writes {@link Greeting} as MessagePack and JSON.
 */
@Generated("dev.jobkit.processor.JobProcessor")
public final class Greeting_Codec implements JobCodec<Greeting> {
  public static final Greeting_Codec INSTANCE = new Greeting_Codec();

  private static final byte[] MSGPACK_RECIPIENT = MsgpackSupport.key("recipient");

  private static final char[] JSON_RECIPIENT = JsonWriter.name("recipient");

  private static final byte[] MSGPACK_TIMES = MsgpackSupport.key("times");

  private static final char[] JSON_TIMES = JsonWriter.name("times");

  private static final byte[] MSGPACK_CC = MsgpackSupport.key("cc");

  private static final char[] JSON_CC = JsonWriter.name("cc");

  private static final byte[] MSGPACK_TONE = MsgpackSupport.key("tone");

  private static final char[] JSON_TONE = JsonWriter.name("tone");

  private static final byte[] MSGPACK_SEND_AT = MsgpackSupport.key("sendAt");

  private static final char[] JSON_SEND_AT = JsonWriter.name("sendAt");

  private static final byte[] MSGPACK_SENT = MsgpackSupport.key("sent");

  private static final byte[] MSGPACK_STARTED_AT = MsgpackSupport.key("startedAt");

  private static final MsgpackSupport.Keys MSGPACK_KEYS = MsgpackSupport.keys("recipient", "times",
      "cc", "tone", "sendAt", "sent", "startedAt");

  private static final JsonReader.Keys JSON_KEYS = JsonReader.keys("recipient", "times", "cc",
      "tone", "sendAt", "sent", "startedAt", "@version");

  private static final String KNOWN_FIELDS = "cc, recipient, sendAt, times, tone";

  private Greeting_Codec() {
  }

  @Override
  public void writeMsgpack(MessagePacker out, Greeting value) throws IOException {
    if (value == null) {
      out.packNil();
      return;
    }
    out.packMapHeader(7);
    out.writePayload(MSGPACK_RECIPIENT);
    String v1 = value.recipient;
    if (v1 == null) {
      out.packNil();
    } else {
      out.packString(v1);
    }
    out.writePayload(MSGPACK_TIMES);
    out.packInt(value.times);
    out.writePayload(MSGPACK_CC);
    List<String> v2 = value.cc;
    if (v2 == null) {
      out.packNil();
    } else {
      out.packArrayHeader(v2.size());
      for (String e3 : v2) {
        if (e3 == null) {
          out.packNil();
        } else {
          out.packString(e3);
        }
      }
    }
    out.writePayload(MSGPACK_TONE);
    Greeting.Tone v4 = value.tone;
    if (v4 == null) {
      out.packNil();
    } else {
      out.packString(v4.name());
    }
    out.writePayload(MSGPACK_SEND_AT);
    Instant v5 = value.sendAt;
    if (v5 == null) {
      out.packNil();
    } else {
      out.packTimestamp(v5);
    }
    out.writePayload(MSGPACK_SENT);
    out.packInt(value.sent);
    out.writePayload(MSGPACK_STARTED_AT);
    Instant v6 = value.startedAt;
    if (v6 == null) {
      out.packNil();
    } else {
      out.packTimestamp(v6);
    }
  }

  @Override
  public Greeting readMsgpack(MsgpackReader in) throws IOException {
    if (in.tryReadNil()) {
      return null;
    }
    int size = in.readObjectHeader();
    Greeting value = new Greeting();
    String key = null;
    try {
      for (int index = 0; index < size; index++) {
        // Cleared so that a failed key read is not blamed on the previous field.
        key = null;
        // A known key comes back as the very String of its case below, without being decoded.
        key = in.readKey(MSGPACK_KEYS);
        switch (key) {
          case "recipient": {
            String v1;
            if (in.tryReadNil()) {
              v1 = null;
            } else {
              v1 = in.readString();
            }
            value.recipient = v1;
            break;
          }
          case "times": {
            value.times = in.readInt();
            break;
          }
          case "cc": {
            List<String> v2;
            if (in.tryReadNil()) {
              v2 = null;
            } else {
              int n3 = in.readArrayHeader();
              List<String> r4 = new ArrayList<>(n3);
              int i5 = 0;
              try {
                for (; i5 < n3; i5++) {
                  String v6;
                  if (in.tryReadNil()) {
                    v6 = null;
                  } else {
                    v6 = in.readString();
                  }
                  r4.add(v6);
                }
              } catch (JobDecodeException e) {
                throw MsgpackSupport.atIndex(e, i5);
              }
              v2 = r4;
            }
            value.cc = v2;
            break;
          }
          case "tone": {
            Greeting.Tone v7;
            if (in.tryReadNil()) {
              v7 = null;
            } else {
              v7 = in.readEnum(Greeting.Tone.class);
            }
            value.tone = v7;
            break;
          }
          case "sendAt": {
            Instant v8;
            if (in.tryReadNil()) {
              v8 = null;
            } else {
              v8 = in.readInstant();
            }
            value.sendAt = v8;
            break;
          }
          case "sent": {
            value.sent = in.readInt();
            break;
          }
          case "startedAt": {
            Instant v9;
            if (in.tryReadNil()) {
              v9 = null;
            } else {
              v9 = in.readInstant();
            }
            value.startedAt = v9;
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
  public void writeJson(JsonWriter out, Greeting value) throws IOException {
    if (value == null) {
      out.writeNull();
      return;
    }
    out.writeStartObject();
    out.writeFieldName(JSON_RECIPIENT);
    String v1 = value.recipient;
    if (v1 == null) {
      out.writeNull();
    } else {
      out.writeString(v1);
    }
    out.writeFieldName(JSON_TIMES);
    out.writeNumber(value.times);
    out.writeFieldName(JSON_CC);
    List<String> v2 = value.cc;
    if (v2 == null) {
      out.writeNull();
    } else {
      out.writeStartArray();
      for (String e3 : v2) {
        if (e3 == null) {
          out.writeNull();
        } else {
          out.writeString(e3);
        }
      }
      out.writeEndArray();
    }
    out.writeFieldName(JSON_TONE);
    Greeting.Tone v4 = value.tone;
    if (v4 == null) {
      out.writeNull();
    } else {
      out.writeString(v4.name());
    }
    out.writeFieldName(JSON_SEND_AT);
    Instant v5 = value.sendAt;
    if (v5 == null) {
      out.writeNull();
    } else {
      JsonSupport.writeInstant(out, v5);
    }
    out.writeEndObject();
  }

  @Override
  public Greeting readJson(JsonReader in, boolean strict) throws IOException {
    if (in.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    JsonSupport.expectObject(in);
    Greeting value = new Greeting();
    int field;
    // Each case is the position of a name in JSON_KEYS; its comment, the Java field.
    while ((field = in.nextField(JSON_KEYS)) != JsonReader.END_OF_OBJECT) {
      switch (field) {
        case 0: { // recipient
          in.nextToken();
          String v1;
          if (in.currentToken() == JsonToken.VALUE_NULL) {
            v1 = null;
          } else {
            v1 = JsonSupport.readString(in);
          }
          value.recipient = v1;
          break;
        }
        case 1: { // times
          in.nextToken();
          value.times = JsonSupport.readInt(in);
          break;
        }
        case 2: { // cc
          in.nextToken();
          value.cc = readJsonCc(in, strict);
          break;
        }
        case 3: { // tone
          in.nextToken();
          Greeting.Tone v2;
          if (in.currentToken() == JsonToken.VALUE_NULL) {
            v2 = null;
          } else {
            v2 = JsonSupport.readEnum(in, Greeting.Tone.class);
          }
          value.tone = v2;
          break;
        }
        case 4: { // sendAt
          in.nextToken();
          Instant v3;
          if (in.currentToken() == JsonToken.VALUE_NULL) {
            v3 = null;
          } else {
            v3 = JsonSupport.readInstant(in);
          }
          value.sendAt = v3;
          break;
        }
        // @State fields: written by the job while it runs, never given in JSON.
        case 5: // sent
        case 6: // startedAt
          if (strict) {
            throw JsonSupport.stateField(in, KNOWN_FIELDS);
          }
          in.nextToken();
          in.skipChildren();
          break;
        case 7: // @version
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
   * Reads {@code cc}; in a method of its own, so that the JIT inlines the calls of its loop.
   */
  private static List<String> readJsonCc(JsonReader in, boolean strict) throws IOException {
    List<String> v1;
    if (in.currentToken() == JsonToken.VALUE_NULL) {
      v1 = null;
    } else {
      JsonSupport.expectArray(in);
      List<String> r2 = new ArrayList<>();
      while (in.nextToken() != JsonToken.END_ARRAY) {
        String v3;
        if (in.currentToken() == JsonToken.VALUE_NULL) {
          v3 = null;
        } else {
          v3 = JsonSupport.readString(in);
        }
        r2.add(v3);
      }
      v1 = r2;
    }
    return v1;
  }
}
