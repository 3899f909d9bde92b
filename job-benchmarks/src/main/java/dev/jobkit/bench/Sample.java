package dev.jobkit.bench;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The object every codec benchmark writes and reads: ten public fields, so that the generated codec
 * and Jackson databind (which auto-detects public fields) see exactly the same property names.
 */
@Job(name = "bench.sample", description = "Benchmark payload; never run")
public class Sample implements JobHandler<Void> {

  public String tenant;
  public String recipient;
  public String template;
  public int attempt;
  public long sizeBytes;
  public long sequence;
  public List<String> tags;
  public Map<String, Integer> counters;
  public Channel channel;
  public Instant createdAt;

  @Override
  public Void run(JobContext ctx) {
    return null;
  }

  /**
   * The fixed payload measured: short ASCII strings, 20 tags, 5 counters. {@code createdAt} has
   * millisecond precision: Jackson's JavaTimeModule writes an Instant as a decimal number of
   * seconds (with the default WRITE_DATES_AS_TIMESTAMPS), and jackson-dataformat-msgpack can only
   * write that decimal as a double, refusing one that a double does not represent exactly
   * (nanoseconds).
   */
  public static Sample create() {
    Sample s = new Sample();
    s.tenant = "acme-industries";
    s.recipient = "alice.smith@example.com";
    s.template = "invoice-reminder-v3";
    s.attempt = 3;
    s.sizeBytes = 1_234_567_890_123L;
    s.sequence = 42_000_017L;
    List<String> tags = new ArrayList<>(20);
    for (int i = 0; i < 20; i++) {
      tags.add("tag-" + i + (i % 3 == 0 ? "-priority" : ""));
    }
    s.tags = tags;
    Map<String, Integer> counters = new LinkedHashMap<>();
    counters.put("opened", 17);
    counters.put("clicked", 4);
    counters.put("bounced", 0);
    counters.put("deferred", 250);
    counters.put("complained", 70_000);
    s.counters = counters;
    s.channel = Channel.WEBHOOK;
    s.createdAt = Instant.ofEpochMilli(1_763_892_000_123L);
    return s;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Sample)) {
      return false;
    }
    Sample that = (Sample) o;
    return attempt == that.attempt
        && sizeBytes == that.sizeBytes
        && sequence == that.sequence
        && Objects.equals(tenant, that.tenant)
        && Objects.equals(recipient, that.recipient)
        && Objects.equals(template, that.template)
        && Objects.equals(tags, that.tags)
        && Objects.equals(counters, that.counters)
        && channel == that.channel
        && Objects.equals(createdAt, that.createdAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        tenant, recipient, template, attempt, sizeBytes, sequence, tags, counters, channel,
        createdAt);
  }

  @Override
  public String toString() {
    return "Sample{tenant="
        + tenant
        + ", recipient="
        + recipient
        + ", template="
        + template
        + ", attempt="
        + attempt
        + ", sizeBytes="
        + sizeBytes
        + ", sequence="
        + sequence
        + ", tags="
        + tags
        + ", counters="
        + counters
        + ", channel="
        + channel
        + ", createdAt="
        + createdAt
        + "}";
  }
}
