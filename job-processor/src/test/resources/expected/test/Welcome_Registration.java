package test;

import dev.jobkit.Priority;
import dev.jobkit.spi.JobCodec;
import dev.jobkit.spi.JobRegistration;
import dev.jobkit.spi.JsonReader;
import dev.jobkit.spi.JsonWriter;
import dev.jobkit.spi.MsgpackReader;
import dev.jobkit.spi.ServiceRequirement;
import dev.jobkit.spi.ServiceResolver;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import javax.annotation.processing.Generated;
import org.msgpack.core.MessagePacker;

/**
 * Registers @Job {@link Welcome} as {@code welcome}.
 */
@Generated("dev.jobkit.processor.JobProcessor")
public final class Welcome_Registration implements JobRegistration<Welcome, Void> {
  private static final String SCHEMA = "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"title\":\"welcome\",\"type\":\"object\",\"properties\":{\"userId\":{\"type\":\"string\",\"description\":\"Whom to welcome.\"},\"extras\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"integer\",\"minimum\":-2147483648,\"maximum\":2147483647},\"description\":\"Extra values for the welcome text, such as {\\\"points\\\": 3}.\"}},\"required\":[\"userId\",\"extras\"],\"additionalProperties\":false}";

  private static final String OUTPUT_SCHEMA = "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"title\":\"welcome output\",\"type\":\"null\"}";

  private static final Optional<Duration> TIMEOUT = Optional.empty();

  private static final List<ServiceRequirement> SERVICES = List.of(
      new ServiceRequirement(Executor.class, "", "executor"),
      new ServiceRequirement(Clock.class, "utc", "clock"));

  /**
   * Called by {@link java.util.ServiceLoader}.
   */
  public Welcome_Registration() {
  }

  @Override
  public String name() {
    return "welcome";
  }

  @Override
  public String description() {
    return "Welcomes a user";
  }

  @Override
  public Class<Welcome> jobClass() {
    return Welcome.class;
  }

  @Override
  public String outputType() {
    return "java.lang.Void";
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
  public JobCodec<Welcome> codec() {
    return Welcome_Codec.INSTANCE;
  }

  @Override
  public JobCodec<Void> outputCodec() {
    return OutputCodec.INSTANCE;
  }

  @Override
  public Welcome newInstance() {
    return new Welcome();
  }

  @Override
  public void upgrade(int fromVersion, Map<String, Object> state) {
    throw new IllegalArgumentException("@Job welcome has no @Upgrade from version " + fromVersion);
  }

  @Override
  public List<ServiceRequirement> services() {
    return SERVICES;
  }

  @Override
  public void injectServices(Welcome job, ServiceResolver services) {
    job.executor = services.require(Executor.class, "");
    job.clock = services.require(Clock.class, "utc");
  }

  private static final class OutputCodec implements JobCodec<Void> {
    static final OutputCodec INSTANCE = new OutputCodec();

    @Override
    public void writeMsgpack(MessagePacker out, Void value) throws IOException {
      out.packNil();
    }

    @Override
    public Void readMsgpack(MsgpackReader in) throws IOException {
      in.skipValue();
      return null;
    }

    @Override
    public void writeJson(JsonWriter out, Void value) throws IOException {
      out.writeNull();
    }

    @Override
    public Void readJson(JsonReader in, boolean strict) throws IOException {
      in.skipChildren();
      return null;
    }
  }
}
