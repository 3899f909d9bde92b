package dev.jobkit.opentelemetry;

import dev.jobkit.runtime.AttemptOutcome;
import dev.jobkit.runtime.DispatchedJob;
import dev.jobkit.runtime.JobAttempt;
import dev.jobkit.runtime.JobInterceptor;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.MDC;

/**
 * Traces jobs with OpenTelemetry, bound with one call:
 *
 * <pre>{@code
 * JobManager manager = JobManager.builder()
 *     .database(path)
 *     .intercept(new JobkitTracing(openTelemetry))
 *     .open();
 * }</pre>
 *
 * <ul>
 *   <li><b>Dispatch.</b> The context of the span current on the dispatching thread is stored with
 *       the job through the configured propagator (W3C {@code traceparent}, {@code tracestate}). A
 *       context given with {@code DispatchOptions.traceContext}, such as the HTTP API's {@code
 *       traceparent} header, is stored when no span is current.
 *   <li><b>First attempt.</b> Runs in a {@link SpanKind#CONSUMER} span {@code job <name>}, a child
 *       of the dispatching span: the same trace.
 *   <li><b>Retries, runs after recovery, schedule fires.</b> A new trace whose span links to the
 *       stored context when there is one (a schedule's jobs have none).
 *   <li><b>Logs.</b> Each line the job writes with {@code JobContext.log} is stored with the
 *       attempt's trace id ({@code JobLogLine.traceId}); while the job runs, SLF4J's MDC has {@code
 *       trace_id} and {@code span_id}, and the span is current, for the job's own logging and
 *       instrumentation.
 * </ul>
 *
 * <p>The span has the attributes {@code jobkit.job.id}, {@code jobkit.job.name}, {@code
 * jobkit.queue}, {@code jobkit.attempt} and {@code jobkit.outcome}; its status is ERROR, with the
 * job's exception recorded, when the attempt failed or timed out. Thread-safe.
 */
public final class JobkitTracing implements JobInterceptor {
  /** The instrumentation scope name of jobkit's spans. */
  public static final String SCOPE = "dev.jobkit";

  static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("jobkit.job.id");
  static final AttributeKey<String> JOB_NAME = AttributeKey.stringKey("jobkit.job.name");
  static final AttributeKey<String> QUEUE = AttributeKey.stringKey("jobkit.queue");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("jobkit.attempt");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("jobkit.outcome");

  private static final TextMapGetter<Map<String, String>> GETTER =
      (carrier, key) -> carrier == null ? null : carrier.get(key);

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  /** Traces with {@code openTelemetry}'s tracer provider and text-map propagator. */
  public JobkitTracing(OpenTelemetry openTelemetry) {
    Objects.requireNonNull(openTelemetry, "openTelemetry");
    this.tracer = openTelemetry.getTracer(SCOPE);
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
  }

  /** The current span's context, through the propagator; nothing when no span is current. */
  @Override
  public Map<String, String> dispatching(DispatchedJob job) {
    Context current = Context.current();
    if (!Span.fromContext(current).getSpanContext().isValid()) {
      return Map.of(); // the context given with the dispatch options, if any, is stored as is
    }
    Map<String, String> carrier = new LinkedHashMap<>();
    propagator.inject(current, carrier, (c, k, v) -> c.put(k, v));
    return carrier;
  }

  /** Runs the attempt in its span; see the class comment for its parent or link. */
  @Override
  public AttemptOutcome around(JobAttempt attempt, Proceed proceed) {
    Context stored = propagator.extract(Context.root(), attempt.traceContext(), GETTER);
    SpanContext dispatch = Span.fromContext(stored).getSpanContext();
    SpanBuilder b =
        tracer
            .spanBuilder("job " + attempt.name())
            .setSpanKind(SpanKind.CONSUMER)
            .setAttribute(JOB_ID, attempt.id())
            .setAttribute(JOB_NAME, attempt.name())
            .setAttribute(QUEUE, attempt.queue())
            .setAttribute(ATTEMPT, (long) attempt.attempt());
    if (attempt.attempt() == 1 && dispatch.isValid()) {
      b.setParent(stored);
    } else {
      b.setNoParent();
      if (dispatch.isValid()) {
        b.addLink(dispatch);
      }
    }
    Span span = b.startSpan();
    SpanContext sc = span.getSpanContext();
    attempt.logTraceId(sc.isValid() ? sc.getTraceId() : null);
    String oldTrace = MDC.get("trace_id");
    String oldSpan = MDC.get("span_id");
    AttemptOutcome outcome = null;
    Scope scope = span.makeCurrent();
    try {
      if (sc.isValid()) {
        MDC.put("trace_id", sc.getTraceId());
        MDC.put("span_id", sc.getSpanId());
      }
      outcome = proceed.proceed();
      return outcome;
    } finally {
      scope.close();
      restore("trace_id", oldTrace);
      restore("span_id", oldSpan);
      end(span, attempt, outcome);
    }
  }

  private static void end(Span span, JobAttempt attempt, AttemptOutcome outcome) {
    AttemptOutcome o = outcome != null ? outcome : AttemptOutcome.UNRECORDED;
    span.setAttribute(OUTCOME, o.tag());
    switch (o) {
      case FAILED, RETRY_SCHEDULED, TIMED_OUT, UNRECORDED -> {
        attempt.failure().ifPresent(span::recordException);
        span.setStatus(StatusCode.ERROR, o.tag());
      }
      default -> {}
    }
    span.end();
  }

  private static void restore(String key, String old) {
    if (old == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, old);
    }
  }
}
