package dev.jobkit.runtime;

import dev.jobkit.JobHandler;
import dev.jobkit.runtime.internal.store.DependencyEdge;
import dev.jobkit.runtime.internal.store.InsertResult;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.worker.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A graph of new jobs dispatched in one transaction (#12 dependencies): all of them or none. Get
 * one from {@link JobManager#graph()}, {@link #add} jobs, each with the nodes it waits for, then
 * {@link #dispatch()}:
 *
 * <pre>{@code
 * JobGraph g = jobs.graph();
 * JobGraph.Node fetchA = g.add(new Fetch("a"));
 * JobGraph.Node fetchB = g.add(new Fetch("b"));
 * g.add(new Merge(), fetchA, fetchB);            // waits for both; reads their outputs in order
 * List<JobHandle<?>> handles = g.dispatch();     // in the order of add
 * }</pre>
 *
 * <p>A job can only wait for nodes added before it (or for stored jobs, through its options' {@link
 * DispatchOptions.Builder#dependsOn}), so a graph cannot have a cycle. Each edge cancels the child
 * when the parent fails ({@link OnParentFailure#CANCEL}) unless {@link #dependsOn} says otherwise.
 *
 * <p>A graph is in one tenant (#14 tenants): the one the first job's options name that names one,
 * or {@link Tenants#DEFAULT}; jobs whose options name none join it, and adding a job whose options
 * name another throws {@link IllegalArgumentException}. Its dispatch counts against that tenant's
 * quotas as a whole: when one is exceeded, no job of it is stored. Not thread-safe; dispatch it
 * once.
 */
public final class JobGraph {
  private final JobManager manager;
  private final Engine engine;
  private final DispatchDefaults defaults;
  private final List<NewJob> jobs = new ArrayList<>();
  private final List<DependencyEdge> edges = new ArrayList<>();
  private boolean dispatched;
  private final OneTenant tenant = new OneTenant("graph"); // #14 tenants

  JobGraph(JobManager manager, Engine engine, DispatchDefaults defaults) {
    this.manager = manager;
    this.engine = engine;
    this.defaults = defaults;
  }

  /** A job added to a graph; used to make later jobs wait for it. */
  public static final class Node {
    private final JobGraph graph;
    private final int index;
    private final String id;

    private Node(JobGraph graph, int index, String id) {
      this.graph = graph;
      this.index = index;
      this.id = id;
    }

    /** Its place in the graph: the index of its handle in {@link JobGraph#dispatch()}'s list. */
    public int index() {
      return index;
    }

    /**
     * The id the job will have, unless its idempotency key is stored already (then its handle has
     * the stored job's id).
     */
    public String id() {
      return id;
    }

    @Override
    public String toString() {
      return "node " + index + " (" + id + ")";
    }
  }

  /** Adds a job with its defaults that waits for {@code parents} (none: it is due at once). */
  public Node add(JobHandler<?> job, Node... parents) {
    return add(job, DispatchOptions.defaults(), parents);
  }

  /**
   * Adds a job with options that waits for {@code parents}, and for the stored jobs of the options'
   * {@link DispatchOptions#dependsOn()}.
   *
   * @throws IllegalArgumentException if a parent belongs to another graph, or the parameters exceed
   *     the manager's size limit
   */
  public Node add(JobHandler<?> job, DispatchOptions options, Node... parents) {
    Objects.requireNonNull(job, "job");
    return added(defaults.of(job, options), options, parents);
  }

  /**
   * Adds a job given by name and JSON parameters, as {@link JobManager#dispatchByName} takes it.
   *
   * @throws dev.jobkit.UnknownJobException if no job has that name
   * @throws dev.jobkit.JobDecodeException if the JSON does not fit the job
   */
  public Node addByName(String name, String json, DispatchOptions options, Node... parents) {
    return added(defaults.ofJson(name, json, options), options, parents);
  }

  /**
   * Makes {@code child} wait for {@code parent} with the policy {@code onFailure}, or changes the
   * policy of that edge if it exists.
   *
   * @throws IllegalArgumentException if {@code parent} was not added before {@code child}
   */
  public JobGraph dependsOn(Node child, Node parent, OnParentFailure onFailure) {
    checkOpen();
    own(child);
    own(parent);
    Objects.requireNonNull(onFailure, "onFailure");
    if (parent.index >= child.index) {
      throw new IllegalArgumentException(
          child + " cannot wait for " + parent + ": a job can only wait for jobs added before it");
    }
    edges.removeIf(e -> e.childId().equals(child.id) && e.parentId().equals(parent.id));
    edges.add(new DependencyEdge(child.id, parent.id, toStore(onFailure)));
    return this;
  }

  /**
   * Stores every job of the graph with its edges in one transaction and returns their handles in
   * the order they were added.
   *
   * @throws IllegalArgumentException naming the job, when a stored parent does not exist
   * @throws IllegalStateException if the graph was dispatched already
   * @throws QuotaExceededException if the dispatch would exceed a quota of its tenant; nothing is
   *     stored then (#14 tenants)
   */
  public List<JobHandle<?>> dispatch() {
    checkOpen();
    dispatched = true;
    if (jobs.isEmpty()) {
      return List.of();
    }
    List<JobHandle<?>> handles = new ArrayList<>(jobs.size());
    for (InsertResult r : engine.insertGraph(jobs.stream().map(tenant::apply).toList(), edges)) {
      handles.add(new JobHandle<>(manager, r.id(), r.created()));
    }
    return handles;
  }

  private Node added(NewJob row, DispatchOptions options, Node... parents) {
    checkOpen();
    tenant.take(options.tenant(), "job " + row.name() + " (node " + jobs.size() + ")");
    for (Node p : parents) {
      own(Objects.requireNonNull(p, "parent"));
    }
    Node node = new Node(this, jobs.size(), row.id());
    jobs.add(row);
    for (Node p : parents) {
      edges.add(new DependencyEdge(row.id(), p.id, DependencyEdge.OnFailure.CANCEL));
    }
    edges.addAll(edgesOf(row.id(), options));
    return node;
  }

  private void own(Node n) {
    if (n.graph != this) {
      throw new IllegalArgumentException(n + " belongs to another JobGraph");
    }
  }

  private void checkOpen() {
    if (dispatched) {
      throw new IllegalStateException("this JobGraph was dispatched already; start a new graph()");
    }
  }

  /** The edges of {@code options.dependsOn()} for job {@code childId}. */
  static List<DependencyEdge> edgesOf(String childId, DispatchOptions options) {
    List<DependencyEdge> out = new ArrayList<>(options.dependsOn().size());
    for (Map.Entry<String, OnParentFailure> e : options.dependsOn().entrySet()) {
      out.add(new DependencyEdge(childId, e.getKey(), toStore(e.getValue())));
    }
    return out;
  }

  private static DependencyEdge.OnFailure toStore(OnParentFailure p) {
    return DependencyEdge.OnFailure.valueOf(p.name());
  }
}
