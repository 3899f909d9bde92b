package dev.jobkit.http.internal;

import dev.jobkit.runtime.FeedCursor;
import dev.jobkit.runtime.JobEventInfo;
import dev.jobkit.runtime.JobEventType;
import dev.jobkit.runtime.JobFeed;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobLifecycleEvent;
import dev.jobkit.runtime.JobLogLine;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobQuery;
import dev.jobkit.runtime.JobState;
import dev.jobkit.runtime.JobSubscription;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/stream}: Server-Sent Events of dispatches, job events, log lines and progress.
 * One shared {@link JobFeed.Tail} per server reads the database (every ~100 ms, or at once when a
 * local event wakes it) and fans out to every client; a local {@code PROGRESS} subscription
 * delivers this node's progress at once, and a local {@code DISPATCHED} one this node's dispatches
 * (the feed reports every node's dispatches {@link JobFeed#DISPATCH_SETTLE} late; those already
 * sent from here are not sent again). Each client has its own writer thread and a bounded queue: a
 * client that falls too far behind is disconnected and catches up by reconnecting with {@code
 * Last-Event-ID}. A reconnecting client joins the live stream first, then reads what it missed from
 * its cursor with a tail of its own, so it may see duplicates but never a gap.
 *
 * <p>Every stream starts with an {@code event: ready} whose {@code id} is where the client stands:
 * for a client without a cursor, the shared tail's position at the moment it joined (read under the
 * same lock the tail fans out under, so everything after it is in the client's queue); for a
 * resuming client, its own cursor. A client that loses the connection before any other message
 * still resumes without a gap.
 */
public final class EventStream implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);

  static final long POLL_MS = 100;
  static final long KEEP_ALIVE_MS = 15_000;
  static final int QUEUE = 10_000;
  static final int POLL_LIMIT = 1_000;

  /** At most this many local dispatches are looked up per round; the feed reports the rest. */
  static final int LOCAL_DISPATCHES_PER_ROUND = 1_000;

  private final JobManager jobs;
  private final Set<Client> clients = new CopyOnWriteArraySet<>();
  private final ExecutorService writers;
  private final Map<String, double[]> rates =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, double[]> e) {
          return size() > 10_000;
        }
      };
  private final Object lock = new Object();

  /**
   * Held while the tail thread moves {@link #position} and offers a batch to the clients, and while
   * a client joins and reads its starting position: a client never misses a batch its start claims.
   */
  private final Object fanout = new Object();

  private Thread tailThread;
  private JobSubscription subscription;
  private volatile boolean closed;
  private volatile FeedCursor position;

  /** This node's dispatches not yet sent, from the local subscription. */
  private final ConcurrentLinkedQueue<String> localDispatches = new ConcurrentLinkedQueue<>();

  /**
   * Jobs whose dispatch was sent from the local subscription, until the feed reports them (tail
   * thread only).
   */
  private final Map<String, Boolean> announced =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> e) {
          return size() > 100_000;
        }
      };

  /** A stream over {@code jobs}; its threads start with the first client. */
  public EventStream(JobManager jobs) {
    this.jobs = jobs;
    AtomicInteger n = new AtomicInteger();
    this.writers =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "jobkit-sse-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Adds {@code GET /api/v1/stream}. */
  public void register(Router r) {
    r.add(
        "GET",
        ApiRoutes.API + "/stream",
        Access.READ,
        "Server-Sent Events: job events, log lines, progress (filters job, name, state, tenant)",
        this::connect);
  }

  /**
   * A client's filter: a job id prefix, a job type, states, and the one tenant whose jobs it sees
   * (#14 tenants; null for every tenant).
   */
  record Filter(String job, String name, Set<JobState> states, String tenant) {
    boolean jobMatches(String jobId, String jobName) {
      return (job == null || jobId.startsWith(job)) && (name == null || name.equals(jobName));
    }
  }

  /**
   * Whether the client of {@code f} may see a job of {@code tenant}: always for a client of every
   * tenant, else when the job belongs to its tenant (a null tenant, a job that is gone, never).
   */
  private static boolean visible(Filter f, String tenant) {
    return f.tenant() == null || f.tenant().equals(tenant);
  }

  final class Client {
    final Filter filter;
    final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE);
    volatile boolean dead;

    Client(Filter filter) {
      this.filter = filter;
    }

    void offer(byte[] message) {
      if (!dead && !queue.offer(message)) {
        dead = true; // too far behind: it reconnects with Last-Event-ID and catches up
      }
    }
  }

  private void connect(Call c) throws IOException {
    String cursorText = c.header("Last-Event-ID");
    if (cursorText == null || cursorText.isBlank()) {
      cursorText = c.query("after");
    }
    FeedCursor from = null;
    if (cursorText != null && !cursorText.isBlank()) {
      try {
        from = FeedCursor.parse(cursorText.trim());
      } catch (IllegalArgumentException e) {
        throw HttpProblem.badRequest("Last-Event-ID/after: " + e.getMessage())
            .with("field", "after");
      }
    }
    String state = c.query("state");
    Filter filter =
        new Filter(
            c.query("job"),
            c.query("name"),
            state == null ? Set.of() : ApiRoutes.states(state),
            Tenancy.scope(c)); // #14: a tenant's key sees its tenant's jobs only
    Client client = new Client(filter);
    ensureStarted();
    FeedCursor joinedAt;
    synchronized (fanout) {
      clients.add(client);
      joinedAt = position;
    }
    var h = c.exchange().getResponseHeaders();
    h.set("Content-Type", "text/event-stream; charset=utf-8");
    h.set("Cache-Control", "no-store");
    h.set("X-Accel-Buffering", "no");
    c.exchange().sendResponseHeaders(200, 0);
    c.detach();
    FeedCursor resume = from;
    FeedCursor start = from != null ? from : joinedAt;
    writers.execute(() -> serve(c, client, resume, start));
  }

  private void serve(Call c, Client client, FeedCursor from, FeedCursor start) {
    try (OutputStream out = c.exchange().getResponseBody()) {
      out.write(("retry: 2000\n: connected\n\n").getBytes(StandardCharsets.UTF_8));
      if (start != null) { // null only when the stream closed before this client joined
        out.write(ready(start, from != null));
      }
      out.flush();
      if (from != null) {
        catchUp(out, client, from);
      } else {
        currentProgress(out, client);
      }
      while (!closed && !client.dead) {
        byte[] m = client.queue.poll(KEEP_ALIVE_MS, TimeUnit.MILLISECONDS);
        if (m == null) {
          out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
        } else {
          out.write(m);
          for (byte[] more; (more = client.queue.poll()) != null; ) {
            out.write(more);
          }
        }
        out.flush();
      }
    } catch (IOException e) {
      LOG.debug("event stream client gone: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("event stream failed", e);
    } finally {
      clients.remove(client);
      c.exchange().close();
    }
  }

  /** Everything after {@code from} up to now, from a tail of this client's own. */
  private void catchUp(OutputStream out, Client client, FeedCursor from) throws IOException {
    JobFeed.Tail tail = jobs.feed().tail(from);
    for (int round = 0; round < 1000 && !closed; round++) {
      JobFeed.Batch b = tail.poll(POLL_LIMIT);
      if (b.dispatches().isEmpty() && b.events().isEmpty() && b.logs().isEmpty()) {
        return;
      }
      for (byte[] m : messages(b, client.filter, false)) {
        out.write(m);
      }
      out.flush();
    }
  }

  private void currentProgress(OutputStream out, Client client) throws IOException {
    JobQuery.Builder q = JobQuery.builder().states(JobState.RUNNING).limit(JobQuery.MAX_LIMIT);
    if (client.filter.tenant() != null) {
      q.tenant(client.filter.tenant()); // #14
    }
    List<JobInfo> running = jobs.list(q.build()).jobs();
    for (JobInfo j : running) {
      if (j.progressJson().isPresent()
          && client.filter.jobMatches(j.id(), j.name())
          && (client.filter.tenant() == null || client.filter.tenant().equals(j.tenant()))) {
        out.write(progress(j.id(), j.name(), j.progressJson().get(), Instant.now(), null));
      }
    }
    out.flush();
  }

  private void ensureStarted() {
    synchronized (lock) {
      if (tailThread != null || closed) {
        return;
      }
      JobFeed.Tail tail = jobs.feed().tail(jobs.feed().head());
      position = tail.resumeFrom();
      subscription = jobs.subscribe(this::onLocal);
      tailThread = new Thread(() -> run(tail), "jobkit-sse-tail");
      tailThread.setDaemon(true);
      tailThread.start();
    }
  }

  private void onLocal(JobLifecycleEvent e) {
    if (e.type() == JobEventType.PROGRESS) {
      if (clients.isEmpty() || e.detail().isEmpty()) {
        return;
      }
      synchronized (localProgress) {
        localProgress.put(e.jobId(), System.nanoTime());
      }
      byte[] m = progress(e.jobId(), e.name(), e.detail().get(), e.at(), null);
      for (Client c : clients) {
        if (c.filter.jobMatches(e.jobId(), e.name()) && visible(c.filter, e.tenant())) {
          c.offer(m);
        }
      }
    } else {
      if (e.type() == JobEventType.DISPATCHED && !clients.isEmpty()) {
        localDispatches.add(e.jobId());
      }
      Thread t = tailThread;
      if (t != null) {
        LockSupport.unpark(t);
      }
    }
  }

  /** Sends this node's new dispatches, each as its job's CREATED entry; on the tail thread. */
  private void sendLocalDispatches() {
    for (int n = 0; n < LOCAL_DISPATCHES_PER_ROUND; n++) {
      String id = localDispatches.poll();
      if (id == null) {
        return;
      }
      if (clients.isEmpty()) {
        continue;
      }
      List<JobEventInfo> trail = jobs.events(id);
      if (trail.isEmpty() || trail.get(0).kind() != JobEventInfo.Kind.CREATED) {
        continue; // deleted meanwhile
      }
      announced.put(id, Boolean.TRUE);
      JobEventInfo created = trail.get(0);
      String tenant = null; // looked up for the first client of one tenant
      for (Client c : clients) {
        if (c.filter.tenant() != null && tenant == null) {
          tenant = tenantOf(id);
        }
        if (matches(created, c.filter, tenant)) {
          // No id: this message is sent ahead of the feed, whose position it must not claim.
          c.offer(jobEvent(created, null));
        }
      }
    }
    localDispatches.clear(); // too many at once: the feed reports them a few seconds later
  }

  private void run(JobFeed.Tail tail) {
    while (!closed) {
      try {
        sendLocalDispatches();
        JobFeed.Batch b = tail.poll(POLL_LIMIT);
        if (!b.dispatches().isEmpty()) {
          // Sent already from the local subscription: not again.
          List<JobEventInfo> fresh = new ArrayList<>(b.dispatches().size());
          for (JobEventInfo d : b.dispatches()) {
            if (announced.remove(d.jobId()) == null) {
              fresh.add(d);
            }
          }
          b =
              new JobFeed.Batch(
                  fresh, b.events(), b.logs(), b.progress(), b.resumeFrom(), b.tenants());
        }
        synchronized (fanout) {
          position = b.resumeFrom();
          if (!clients.isEmpty() && !b.isEmpty()) {
            for (Client c : clients) {
              for (byte[] m : messages(b, c.filter, true)) {
                c.offer(m);
              }
            }
          }
        }
        if (b.events().size() < POLL_LIMIT
            && b.logs().size() < POLL_LIMIT
            && b.dispatches().size() < POLL_LIMIT
            && localDispatches.isEmpty()) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MS));
        }
      } catch (IllegalStateException e) {
        return; // the manager closed
      } catch (RuntimeException e) {
        LOG.warn("event stream: reading the job feed failed; retrying", e);
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
      }
    }
  }

  /**
   * A batch's messages for one client. Only the last carries the batch's cursor as its {@code id}:
   * a client that loses the connection in the middle of a batch resumes from the previous batch's
   * cursor (and sees some messages twice) instead of skipping the rest. Progress carries no id.
   */
  private List<byte[]> messages(JobFeed.Batch b, Filter f, boolean withProgress) {
    List<byte[]> out = new ArrayList<>();
    for (JobEventInfo e : b.dispatches()) {
      if (matches(e, f, b.tenantOf(e.jobId()))) {
        out.add(jobEvent(e, null));
      }
    }
    for (JobEventInfo e : b.events()) {
      if (matches(e, f, b.tenantOf(e.jobId()))) {
        out.add(jobEvent(e, null));
      }
    }
    for (JobLogLine l : b.logs()) {
      String name = nameOf(l.jobId());
      if (!f.jobMatches(l.jobId(), name == null ? "" : name)
          || !visible(f, b.tenantOf(l.jobId()))) {
        continue;
      }
      out.add(
          sse(
              "log",
              null,
              g -> {
                g.writeStartObject();
                g.writeNumberField("id", l.id());
                g.writeStringField("jobId", l.jobId());
                if (name == null) {
                  g.writeNullField("name");
                } else {
                  g.writeStringField("name", name);
                }
                g.writeStringField("level", l.level().name());
                g.writeStringField("message", l.message());
                g.writeNumberField("attempt", l.attempt());
                JobJson.time(g, "at", l.at());
                g.writeEndObject();
              }));
    }
    if (!out.isEmpty()) {
      out.set(out.size() - 1, withId(out.get(out.size() - 1), b.resumeFrom().toString()));
    }
    if (withProgress) {
      for (JobFeed.ProgressUpdate p : b.progress()) {
        if (f.jobMatches(p.jobId(), p.jobName())
            && !sentLocally(p.jobId())
            && visible(f, b.tenantOf(p.jobId()))) {
          out.add(progress(p.jobId(), p.jobName(), p.progressJson(), p.at(), null));
        }
      }
    }
    return out;
  }

  /** {@code m} (an {@link #sse} message without an id) with an {@code id} line after its event. */
  private static byte[] withId(byte[] m, String id) {
    String text = new String(m, StandardCharsets.UTF_8);
    int eol = text.indexOf('\n') + 1;
    return (text.substring(0, eol) + "id: " + id + "\n" + text.substring(eol))
        .getBytes(StandardCharsets.UTF_8);
  }

  private static boolean matches(JobEventInfo e, Filter f, String tenant) {
    return f.jobMatches(e.jobId(), e.jobName())
        && (f.states.isEmpty() || (e.to().isPresent() && f.states.contains(e.to().get())))
        && visible(f, tenant);
  }

  /**
   * An {@code event: job} message. A dispatch (CREATED) has no stored event row and so no {@code
   * id} field: clients tell dispatches apart by {@code jobId}.
   */
  private static byte[] jobEvent(JobEventInfo e, String cursor) {
    return sse(
        "job",
        cursor,
        g -> {
          g.writeStartObject();
          if (e.kind() != JobEventInfo.Kind.CREATED) {
            g.writeNumberField("id", e.id());
          }
          g.writeStringField("jobId", e.jobId());
          g.writeStringField("name", e.jobName());
          g.writeStringField("kind", e.kind().name());
          JobJson.string(g, "from", e.from().map(Enum::name));
          JobJson.string(g, "to", e.to().map(Enum::name));
          JobJson.string(g, "detail", e.detail());
          JobJson.string(g, "actor", e.actor());
          JobJson.time(g, "at", e.at());
          g.writeEndObject();
        });
  }

  private final Map<String, String> names =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> e) {
          return size() > 10_000;
        }
      };

  /** Jobs' tenants (#14), for the clients of one tenant; a job's tenant never changes. */
  private final Map<String, String> tenants =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> e) {
          return size() > 100_000;
        }
      };

  /** Jobs of this node whose progress was sent from the local subscription, and when. */
  private final Map<String, Long> localProgress =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> e) {
          return size() > 10_000;
        }
      };

  /** Whether the job's progress came from this node within the last 5 s (no need to repeat it). */
  private boolean sentLocally(String jobId) {
    synchronized (localProgress) {
      Long at = localProgress.get(jobId);
      return at != null && System.nanoTime() - at < TimeUnit.SECONDS.toNanos(5);
    }
  }

  /** A job's name, for log lines (cached; null if the job is gone). */
  private String nameOf(String jobId) {
    synchronized (names) {
      String n = names.get(jobId);
      if (n != null) {
        return n;
      }
    }
    String n = jobs.job(jobId).map(JobInfo::name).orElse(null);
    if (n != null) {
      synchronized (names) {
        names.put(jobId, n);
      }
    }
    return n;
  }

  /** A job's tenant (cached; null if the job is gone). */
  private String tenantOf(String jobId) {
    synchronized (tenants) {
      String t = tenants.get(jobId);
      if (t != null) {
        return t;
      }
    }
    String t = jobs.job(jobId).map(JobInfo::tenant).orElse(null);
    if (t != null) {
      synchronized (tenants) {
        tenants.put(jobId, t);
      }
    }
    return t;
  }

  private byte[] progress(String jobId, String name, String json, Instant at, FeedCursor id) {
    double[] rateEta = rateAndEta(jobId, json, at);
    return sse(
        "progress",
        id == null ? null : id.toString(),
        g -> {
          g.writeStartObject();
          g.writeStringField("jobId", jobId);
          g.writeStringField("name", name);
          g.writeFieldName("progress");
          g.writeRawValue(json);
          if (rateEta == null) {
            g.writeNullField("rate");
            g.writeNullField("etaSeconds");
          } else {
            g.writeNumberField("rate", rateEta[0]);
            if (Double.isNaN(rateEta[1])) {
              g.writeNullField("etaSeconds");
            } else {
              g.writeNumberField("etaSeconds", Math.round(rateEta[1]));
            }
          }
          JobJson.time(g, "at", at);
          g.writeEndObject();
        });
  }

  /**
   * Rate (units or percent per second, since this server first saw the job's progress) and the
   * seconds left at that rate; null before two samples.
   */
  private double[] rateAndEta(String jobId, String json, Instant at) {
    double value;
    double total;
    try {
      Map<String, Json.Node> o = Json.read(json).object();
      if (o == null) {
        return null;
      }
      if (o.get("done") != null
          && o.get("total") != null
          && o.get("done").value() instanceof Number d
          && o.get("total").value() instanceof Number t) {
        value = d.doubleValue();
        total = t.doubleValue();
      } else if (o.get("percent") != null && o.get("percent").value() instanceof Number p) {
        value = p.doubleValue();
        total = 100;
      } else {
        return null;
      }
    } catch (HttpProblem e) {
      return null;
    }
    double now = at.toEpochMilli() / 1000.0;
    double[] first;
    synchronized (rates) {
      first = rates.get(jobId);
      if (first == null || value < first[1]) {
        rates.put(jobId, new double[] {now, value});
        return null;
      }
    }
    double dt = now - first[0];
    if (dt <= 0.05 || value <= first[1]) {
      return null;
    }
    double rate = (value - first[1]) / dt;
    double eta = total > 0 ? Math.max(0, (total - value) / rate) : Double.NaN;
    return new double[] {Math.round(rate * 1000) / 1000.0, eta};
  }

  /**
   * The first message of every stream: {@code id} is the cursor the client stands at, so a client
   * that drops before anything else arrives resumes from there.
   */
  private static byte[] ready(FeedCursor at, boolean resumed) {
    return sse(
        "ready",
        at.toString(),
        g -> {
          g.writeStartObject();
          g.writeStringField("cursor", at.toString());
          g.writeBooleanField("resumed", resumed);
          g.writeEndObject();
        });
  }

  private static byte[] sse(String event, String id, Json.Body body) {
    String data = new String(Json.write(body), StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder(data.length() + 48);
    b.append("event: ").append(event).append('\n');
    if (id != null) {
      b.append("id: ").append(id).append('\n');
    }
    b.append("data: ").append(data).append("\n\n");
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** How many clients are connected. */
  public int clients() {
    return clients.size();
  }

  @Override
  public void close() {
    closed = true;
    synchronized (lock) {
      if (subscription != null) {
        subscription.close();
      }
      if (tailThread != null) {
        LockSupport.unpark(tailThread);
      }
    }
    writers.shutdownNow();
  }
}
