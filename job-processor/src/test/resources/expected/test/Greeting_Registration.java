package test;

import com.fasterxml.jackson.core.JsonToken;
import dev.jobkit.Priority;
import dev.jobkit.spi.JobCodec;
import dev.jobkit.spi.JobRegistration;
import dev.jobkit.spi.JsonReader;
import dev.jobkit.spi.JsonSupport;
import dev.jobkit.spi.JsonWriter;
import dev.jobkit.spi.MsgpackReader;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.annotation.processing.Generated;
import org.msgpack.core.MessagePacker;

/**
 * Registers @Job {@link Greeting} as {@code greeting}.
 */
@Generated("dev.jobkit.processor.JobProcessor")
public final class Greeting_Registration implements JobRegistration<Greeting, String> {
  private static final String SCHEMA = "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"title\":\"greeting\",\"type\":\"object\",\"properties\":{\"recipient\":{\"type\":\"string\",\"description\":\"Who is greeted, such as \\\"Ada\\\".\"},\"times\":{\"type\":\"integer\",\"minimum\":-2147483648,\"maximum\":2147483647,\"description\":\"How often to greet; default 1.\",\"default\":1},\"cc\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},\"tone\":{\"enum\":[\"FRIENDLY\",\"FORMAL\"],\"default\":\"FRIENDLY\"},\"sendAt\":{\"type\":\"string\",\"format\":\"date-time\"}},\"required\":[\"recipient\",\"sendAt\"],\"additionalProperties\":false}";

  private static final String OUTPUT_SCHEMA = "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"title\":\"greeting output\",\"type\":\"string\"}";

  private static final Optional<Duration> TIMEOUT = Optional.empty();

  /**
   * Called by {@link java.util.ServiceLoader}.
   */
  public Greeting_Registration() {
  }

  @Override
  public String name() {
    return "greeting";
  }

  @Override
  public String description() {
    return "Greets someone";
  }

  @Override
  public Class<Greeting> jobClass() {
    return Greeting.class;
  }

  @Override
  public String outputType() {
    return "java.lang.String";
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public boolean resumable() {
    return true;
  }

  @Override
  public String queue() {
    return "default";
  }

  @Override
  public Priority priority() {
    return Priority.NORMAL;
  }

  @Override
  public int maxAttempts() {
    return 0;
  }

  @Override
  public Optional<Duration> timeout() {
    return TIMEOUT;
  }

  @Override
  public String schema() {
    return SCHEMA;
  }

  @Override
  public String outputSchema() {
    return OUTPUT_SCHEMA;
  }

  @Override
  public JobCodec<Greeting> codec() {
    return Greeting_Codec.INSTANCE;
  }

  @Override
  public JobCodec<String> outputCodec() {
    return OutputCodec.INSTANCE;
  }

  @Override
  public Greeting newInstance() {
    return new Greeting();
  }

  @Override
  public void upgrade(int fromVersion, Map<String, Object> state) {
    throw new IllegalArgumentException("@Job greeting has no @Upgrade from version " + fromVersion);
  }

  private static final class OutputCodec implements JobCodec<String> {
    static final OutputCodec INSTANCE = new OutputCodec();

    @Override
    public void writeMsgpack(MessagePacker out, String value) throws IOException {
      if (value == null) {
        out.packNil();
      } else {
        out.packString(value);
      }
    }

    @Override
    public String readMsgpack(MsgpackReader in) throws IOException {
      String v1;
      if (in.tryReadNil()) {
        v1 = null;
      } else {
        v1 = in.readString();
      }
      return v1;
    }

    @Override
    public void writeJson(JsonWriter out, String value) throws IOException {
      if (value == null) {
        out.writeNull();
      } else {
        out.writeString(value);
      }
    }

    @Override
    public String readJson(JsonReader in, boolean strict) throws IOException {
      String v2;
      if (in.currentToken() == JsonToken.VALUE_NULL) {
        v2 = null;
      } else {
        v2 = JsonSupport.readString(in);
      }
      return v2;
    }
  }
}
