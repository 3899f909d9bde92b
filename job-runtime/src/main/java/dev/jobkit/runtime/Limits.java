package dev.jobkit.runtime;

import dev.jobkit.JobRegistry;
import dev.jobkit.runtime.internal.store.JobLimits;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.LimitRow;
import dev.jobkit.runtime.internal.store.LimitState;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.spi.JobRegistration;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/**
 * The limits of a manager (#12 limits): those of {@code @Job} and of {@link
 * JobManager.Builder#limit}. Gives each dispatched job its limit keys (defining each key to the
 * store the first time this process uses it; the insert writes the definition), and says why a due
 * job waits.
 */
final class Limits {
  private final Map<String, List<LimitSpec>> byJobType = new LinkedHashMap<>();
  private final Map<String, List<LimitSpec>> byQueue = new LinkedHashMap<>();
  private final JobStore store;
  private final Clock clock;
  private final Set<String> defined = ConcurrentHashMap.newKeySet();

  Limits(Collection<LimitSpec> declared, JobRegistry registry, JobStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
    Map<String, LimitSpec> merged = new LinkedHashMap<>();
    for (JobRegistration<?, ?> reg : registry.registrations()) {
      for (LimitSpec spec : ofAnnotation(reg)) {
        merged.merge(spec.group(), spec, LimitSpec::merge);
      }
    }
    for (LimitSpec spec : declared) {
      if (!spec.onQueue() && !registry.contains(spec.target())) {
        throw new IllegalArgumentException(
            spec + ": no job type '" + spec.target() + "' is registered; check the job's name");
      }
      merged.merge(spec.group(), spec, LimitSpec::merge);
    }
    for (LimitSpec spec : merged.values()) {
      (spec.onQueue() ? byQueue : byJobType)
          .computeIfAbsent(spec.target(), k -> new ArrayList<>())
          .add(spec);
    }
  }

  /** The limits that {@code @Job} declares on a job type. */
  static List<LimitSpec> ofAnnotation(JobRegistration<?, ?> reg) {
    List<LimitSpec> specs = new ArrayList<>(2);
    if (reg.concurrency() > 0) {
      specs.add(LimitSpec.concurrency(reg.name(), reg.concurrency()));
    }
    if (!reg.rateLimit().isEmpty()) {
      specs.add(LimitSpec.parseRate(reg.name(), reg.rateLimit()));
    }
    if (!reg.concurrencyKey().isEmpty()) {
      specs.replaceAll(s -> s.keyedBy(reg.concurrencyKey()));
    }
    return specs;
  }

  /** Whether any limit is configured. */
  boolean any() {
    return !byJobType.isEmpty() || !byQueue.isEmpty();
  }

  /** {@code job} with its limit keys, each defined in the store; {@code job} itself if none. */
  NewJob apply(NewJob job) {
    List<LimitSpec> specs = new ArrayList<>(2);
    specs.addAll(byJobType.getOrDefault(job.name(), List.of()));
    specs.addAll(byQueue.getOrDefault(job.queue(), List.of()));
    if (specs.isEmpty()) {
      return job;
    }
    List<String> keys = new ArrayList<>(specs.size());
    List<LimitRow> undefined = new ArrayList<>();
    for (LimitSpec spec : specs) {
      String key =
          spec.keyField().isEmpty()
              ? spec.baseKey()
              : spec.baseKey()
                  + "["
                  + spec.keyField().get()
                  + "="
                  + keyValue(job, spec.keyField().get())
                  + "]";
      keys.add(key);
      if (!defined.contains(key)) {
        undefined.add(
            new LimitRow(
                key,
                spec.concurrency(),
                spec.rate(),
                spec.period().map(d -> d.toMillis()).orElse(0L),
                spec.burst()));
      }
    }
    if (!undefined.isEmpty()) {
      // Only recorded: the insert writes them in its transaction (a schedule fires inside one).
      store.defineLimits(undefined, clock.millis());
      undefined.forEach(r -> defined.add(r.key()));
    }
    return job.withLimitKeys("," + String.join(",", keys) + ",");
  }

  /**
   * The value of the top-level parameter {@code field} as text for a key: strings as they are,
   * other values as JSON, a missing field as {@code null}. Commas, which separate stored keys, and
   * percent signs are percent-encoded.
   */
  private static String keyValue(NewJob job, String field) {
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(job.params())) {
      if (!in.hasNext() || !in.getNextFormat().getValueType().isMapType()) {
        return "null";
      }
      int n = in.unpackMapHeader();
      for (int i = 0; i < n; i++) {
        Value name = in.unpackValue();
        if (name.isStringValue() && name.asStringValue().asString().equals(field)) {
          Value v = in.unpackValue();
          String text = v.isStringValue() ? v.asStringValue().asString() : v.toJson();
          return text.replace("%", "%25").replace(",", "%2C");
        }
        in.skipValue();
      }
      return "null";
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "job '" + job.name() + "': cannot read parameter '" + field + "' for its limit key", e);
    }
  }

  /**
   * Why job {@code id}, due, does not start, such as {@code waiting for a slot of deploy[host=db1]
   * (1 of 1 running)}; empty when it is not due, has no limits, or its limits have room.
   */
  Optional<String> waitingReason(String id) {
    long now = clock.millis();
    Optional<JobLimits> found = store.limitsOf(id, now);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    JobLimits jl = found.get();
    boolean claimable = Set.of("QUEUED", "SCHEDULED", "WAITING_RETRY").contains(jl.status());
    if (!claimable || jl.runAt() > now) {
      return Optional.empty();
    }
    List<String> reasons = new ArrayList<>();
    for (LimitState s : jl.keys()) {
      LimitRow r = s.row();
      if (r == null) {
        reasons.add(
            "waiting for limit "
                + s.key()
                + ", which is not defined; dispatch it from a manager that declares the limit");
      } else if (r.maxRunning() > 0 && s.running() >= r.maxRunning()) {
        reasons.add(
            "waiting for a slot of "
                + s.key()
                + " ("
                + s.running()
                + " of "
                + r.maxRunning()
                + " running)");
      } else if (r.rateCount() > 0 && s.nextStartAt() > now) {
        reasons.add(
            String.format(
                Locale.ROOT,
                "next start in %.1f s (rate %s %d/%s)",
                (s.nextStartAt() - now) / 1000.0,
                s.key(),
                r.rateCount(),
                formatPeriod(r.ratePeriodMs())));
      }
    }
    return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
  }

  /** A period in its largest whole unit: {@code 1m}, {@code 30s}, {@code 250ms}. */
  static String formatPeriod(long ms) {
    if (ms % 86_400_000 == 0) {
      return ms / 86_400_000 + "d";
    }
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
