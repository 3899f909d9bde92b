package dev.jobkit.bench;

import com.fasterxml.jackson.core.JsonToken;
import dev.jobkit.spi.JobCodec;
import dev.jobkit.spi.JsonReader;
import dev.jobkit.spi.JsonWriter;
import dev.jobkit.spi.MsgpackReader;
import dev.jobkit.spi.MsgpackSupport;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;

/**
 * A hand-written codec for {@link Sample} with the same wire form as the generated one (a map keyed
 * by field name, Instant as the timestamp extension, enum by name), written as directly as {@link
 * MsgpackReader}, msgpack-core's packer and jackson-core allow and without the checks a real codec
 * needs beyond those the readers make (unknown keys are skipped, nothing else is validated). It is
 * the benchmark's ceiling: the gap between it and the generated codec is what the generator could
 * still win. {@link #readMsgpackCore} is the same on msgpack-core's {@code MessageUnpacker}, the
 * ceiling of the codecs before they read from {@link MsgpackReader}.
 */
public final class HandWrittenSampleCodec implements JobCodec<Sample> {

  public static final HandWrittenSampleCodec INSTANCE = new HandWrittenSampleCodec();

  private HandWrittenSampleCodec() {}

  @Override
  public void writeMsgpack(MessagePacker out, Sample v) throws IOException {
    if (v == null) {
      out.packNil();
      return;
    }
    out.packMapHeader(10);
    out.packString("tenant");
    packStringOrNil(out, v.tenant);
    out.packString("recipient");
    packStringOrNil(out, v.recipient);
    out.packString("template");
    packStringOrNil(out, v.template);
    out.packString("attempt");
    out.packInt(v.attempt);
    out.packString("sizeBytes");
    out.packLong(v.sizeBytes);
    out.packString("sequence");
    out.packLong(v.sequence);
    out.packString("tags");
    if (v.tags == null) {
      out.packNil();
    } else {
      out.packArrayHeader(v.tags.size());
      for (String t : v.tags) {
        packStringOrNil(out, t);
      }
    }
    out.packString("counters");
    if (v.counters == null) {
      out.packNil();
    } else {
      out.packMapHeader(v.counters.size());
      for (Map.Entry<String, Integer> e : v.counters.entrySet()) {
        out.packString(e.getKey());
        if (e.getValue() == null) {
          out.packNil();
        } else {
          out.packInt(e.getValue());
        }
      }
    }
    out.packString("channel");
    packStringOrNil(out, v.channel == null ? null : v.channel.name());
    out.packString("createdAt");
    if (v.createdAt == null) {
      out.packNil();
    } else {
      out.packTimestamp(v.createdAt);
    }
  }

  private static void packStringOrNil(MessagePacker out, String s) throws IOException {
    if (s == null) {
      out.packNil();
    } else {
      out.packString(s);
    }
  }

  private static final MsgpackSupport.Keys KEYS =
      MsgpackSupport.keys(
          "tenant",
          "recipient",
          "template",
          "attempt",
          "sizeBytes",
          "sequence",
          "tags",
          "counters",
          "channel",
          "createdAt");

  @Override
  public Sample readMsgpack(MsgpackReader in) {
    if (in.tryReadNil()) {
      return null;
    }
    Sample v = new Sample();
    int n = in.readMapHeader();
    for (int i = 0; i < n; i++) {
      String key = in.readKey(KEYS);
      if (in.tryReadNil()) {
        continue;
      }
      switch (key) {
        case "tenant":
          v.tenant = in.readString();
          break;
        case "recipient":
          v.recipient = in.readString();
          break;
        case "template":
          v.template = in.readString();
          break;
        case "attempt":
          v.attempt = in.readInt();
          break;
        case "sizeBytes":
          v.sizeBytes = in.readLong();
          break;
        case "sequence":
          v.sequence = in.readLong();
          break;
        case "tags":
          {
            int len = in.readArrayHeader();
            List<String> tags = new ArrayList<>(len);
            for (int j = 0; j < len; j++) {
              tags.add(in.tryReadNil() ? null : in.readString());
            }
            v.tags = tags;
            break;
          }
        case "counters":
          {
            int len = in.readMapHeader();
            Map<String, Integer> m = new LinkedHashMap<>(len * 2);
            for (int j = 0; j < len; j++) {
              String k = in.readString();
              m.put(k, in.tryReadNil() ? null : in.readInt());
            }
            v.counters = m;
            break;
          }
        case "channel":
          v.channel = in.readEnum(Channel.class);
          break;
        case "createdAt":
          v.createdAt = in.readInstant();
          break;
        default:
          in.skipValue();
      }
    }
    return v;
  }

  /** {@link #readMsgpack} written on msgpack-core's {@code MessageUnpacker} instead. */
  public static Sample readMsgpackCore(MessageUnpacker in) throws IOException {
    if (in.tryUnpackNil()) {
      return null;
    }
    Sample v = new Sample();
    int n = in.unpackMapHeader();
    for (int i = 0; i < n; i++) {
      String key = in.unpackString();
      if (in.tryUnpackNil()) {
        continue;
      }
      switch (key) {
        case "tenant":
          v.tenant = in.unpackString();
          break;
        case "recipient":
          v.recipient = in.unpackString();
          break;
        case "template":
          v.template = in.unpackString();
          break;
        case "attempt":
          v.attempt = in.unpackInt();
          break;
        case "sizeBytes":
          v.sizeBytes = in.unpackLong();
          break;
        case "sequence":
          v.sequence = in.unpackLong();
          break;
        case "tags":
          {
            int len = in.unpackArrayHeader();
            List<String> tags = new ArrayList<>(len);
            for (int j = 0; j < len; j++) {
              tags.add(in.tryUnpackNil() ? null : in.unpackString());
            }
            v.tags = tags;
            break;
          }
        case "counters":
          {
            int len = in.unpackMapHeader();
            Map<String, Integer> m = new LinkedHashMap<>(len * 2);
            for (int j = 0; j < len; j++) {
              String k = in.unpackString();
              m.put(k, in.tryUnpackNil() ? null : in.unpackInt());
            }
            v.counters = m;
            break;
          }
        case "channel":
          v.channel = Channel.valueOf(in.unpackString());
          break;
        case "createdAt":
          v.createdAt = in.unpackTimestamp();
          break;
        default:
          in.skipValue();
      }
    }
    return v;
  }

  @Override
  public void writeJson(JsonWriter out, Sample v) throws IOException {
    if (v == null) {
      out.writeNull();
      return;
    }
    out.writeStartObject();
    out.writeFieldName("tenant");
    writeNullableString(out, v.tenant);
    out.writeFieldName("recipient");
    writeNullableString(out, v.recipient);
    out.writeFieldName("template");
    writeNullableString(out, v.template);
    out.writeFieldName("attempt");
    out.writeNumber(v.attempt);
    out.writeFieldName("sizeBytes");
    out.writeNumber(v.sizeBytes);
    out.writeFieldName("sequence");
    out.writeNumber(v.sequence);
    out.writeFieldName("tags");
    if (v.tags == null) {
      out.writeNull();
    } else {
      out.writeStartArray();
      for (String t : v.tags) {
        out.writeString(t);
      }
      out.writeEndArray();
    }
    out.writeFieldName("counters");
    if (v.counters == null) {
      out.writeNull();
    } else {
      out.writeStartObject();
      for (Map.Entry<String, Integer> e : v.counters.entrySet()) {
        out.writeFieldName(e.getKey());
        if (e.getValue() == null) {
          out.writeNull();
        } else {
          out.writeNumber(e.getValue());
        }
      }
      out.writeEndObject();
    }
    out.writeFieldName("channel");
    writeNullableString(out, v.channel == null ? null : v.channel.name());
    out.writeFieldName("createdAt");
    writeNullableString(out, v.createdAt == null ? null : v.createdAt.toString());
    out.writeEndObject();
  }

  @Override
  public Sample readJson(JsonReader in, boolean strict) throws IOException {
    if (in.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    Sample v = new Sample();
    String key;
    while ((key = in.nextFieldName()) != null) {
      JsonToken t = in.nextToken();
      if (t == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (key) {
        case "tenant":
          v.tenant = in.getText();
          break;
        case "recipient":
          v.recipient = in.getText();
          break;
        case "template":
          v.template = in.getText();
          break;
        case "attempt":
          v.attempt = in.getIntValue();
          break;
        case "sizeBytes":
          v.sizeBytes = in.getLongValue();
          break;
        case "sequence":
          v.sequence = in.getLongValue();
          break;
        case "tags":
          {
            List<String> tags = new ArrayList<>();
            while (in.nextToken() != JsonToken.END_ARRAY) {
              tags.add(in.currentToken() == JsonToken.VALUE_NULL ? null : in.getText());
            }
            v.tags = tags;
            break;
          }
        case "counters":
          {
            Map<String, Integer> m = new LinkedHashMap<>();
            String k;
            while ((k = in.nextFieldName()) != null) {
              m.put(k, in.nextToken() == JsonToken.VALUE_NULL ? null : in.getIntValue());
            }
            v.counters = m;
            break;
          }
        case "channel":
          v.channel = Channel.valueOf(in.getText());
          break;
        case "createdAt":
          v.createdAt = Instant.parse(in.getText());
          break;
        default:
          if (strict) {
            throw new IOException("unknown field " + key);
          }
          in.skipChildren();
      }
    }
    return v;
  }

  private static void writeNullableString(JsonWriter out, String s) {
    if (s == null) {
      out.writeNull();
    } else {
      out.writeString(s);
    }
  }
}
