package dev.jobkit.http.internal;

import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobPage;
import dev.jobkit.runtime.JobQuery;
import dev.jobkit.runtime.JobState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/v1/jobs/bulk/{action}}: one control action on a list of ids or on every job a
 * filter matches (the list's filter), at most {@value #CAP} per call; {@code dryRun} only counts.
 */
final class BulkRoutes {
  static final int CAP = 10_000;

  private final JobManager jobs;

  BulkRoutes(JobManager jobs) {
    this.jobs = jobs;
  }

  void register(Router r) {
    r.add(
        "POST",
        ApiRoutes.API + "/jobs/bulk/{action}",
        Access.OPERATE,
        "Cancel, pause, resume or retry many jobs (by ids or filter; dryRun counts)",
        this::bulk);
  }

  private void bulk(Call c) throws IOException {
    String action = c.param("action");
    if (!List.of("cancel", "pause", "resume", "retry").contains(action)) {
      throw HttpProblem.notFound(
          "unknown bulk action '" + action + "'; expected cancel, pause, resume or retry");
    }
    Json.Node root = c.bodyJson();
    Map<String, Json.Node> o = root.object();
    if (o == null) {
      throw root.problem("expected an object {\"ids\": [...]} or {\"filter\": {...}}");
    }
    Json.Node ids = null;
    Json.Node filter = null;
    boolean dryRun = false;
    for (Map.Entry<String, Json.Node> e : o.entrySet()) {
      Json.Node v = e.getValue();
      switch (e.getKey()) {
        case "ids" -> ids = v;
        case "filter" -> filter = v;
        case "dryRun" -> {
          if (!(v.value() instanceof Boolean b)) {
            throw v.problem("expected true or false, found " + v.typeName());
          }
          dryRun = b;
        }
        default ->
            throw v.problem("unknown field '" + e.getKey() + "'; expected ids, filter, dryRun");
      }
    }
    if ((ids == null) == (filter == null)) {
      throw root.problem("give exactly one of 'ids' (a list of job ids) and 'filter'");
    }
    List<String> targets = ids != null ? ids(ids, c.caller()) : matching(filter, c.caller());
    long changed = 0;
    long skipped = 0;
    if (!dryRun) {
      for (String id : targets) {
        try {
          Actions.apply(jobs, action, id, c.caller().actor());
          changed++;
        } catch (HttpProblem p) {
          skipped++;
        }
      }
    }
    long matched = targets.size();
    long ch = changed;
    long sk = skipped;
    boolean dry = dryRun;
    c.json(
        200,
        g -> {
          g.writeStartObject();
          g.writeNumberField("matched", matched);
          g.writeNumberField("changed", ch);
          g.writeNumberField("skipped", sk);
          g.writeBooleanField("dryRun", dry);
          g.writeEndObject();
        });
  }

  /** The ids of stored jobs the caller sees (#14: another tenant's is left out as unknown). */
  private List<String> ids(Json.Node ids, Caller caller) {
    List<Json.Node> l = ids.array();
    if (l == null) {
      throw ids.problem("expected an array of job ids, found " + ids.typeName());
    }
    if (l.size() > CAP) {
      throw ids.problem("at most " + CAP + " ids per call, got " + l.size() + "; split the list");
    }
    Set<String> out = new LinkedHashSet<>();
    for (Json.Node n : l) {
      if (!(n.value() instanceof String s)) {
        throw n.problem("expected a job id (a string), found " + n.typeName());
      }
      jobs.job(s).filter(j -> caller.sees(j.tenant())).ifPresent(j -> out.add(j.id()));
    }
    return new ArrayList<>(out);
  }

  /** The jobs the filter matches, within the caller's tenant (#14). */
  private List<String> matching(Json.Node filter, Caller caller) {
    Map<String, Json.Node> f = filter.object();
    if (f == null) {
      throw filter.problem("expected an object such as {\"state\": \"FAILED\"}");
    }
    JobQuery.Builder b = JobQuery.builder().limit(JobQuery.MAX_LIMIT);
    Json.Node tenantNode = f.get(Tenancy.FIELD);
    String asked = tenantNode != null && tenantNode.value() instanceof String t ? t : null;
    String tenant = Tenancy.requested(caller, asked, tenantNode);
    if (tenant != null) {
      b.tenant(tenant);
    }
    for (Map.Entry<String, Json.Node> e : f.entrySet()) {
      Json.Node v = e.getValue();
      if (v.value() == null) {
        continue;
      }
      if (!(v.value() instanceof String s)) {
        throw v.problem("expected a string, found " + v.typeName());
      }
      switch (e.getKey()) {
        case "state" -> {
          try {
            b.states(ApiRoutes.states(s).toArray(JobState[]::new));
          } catch (HttpProblem p) {
            throw v.problem(p.getMessage().replace("query parameter 'state': ", ""));
          }
        }
        case "name" -> b.name(s);
        case "tag" -> b.tag(s);
        case "queue" -> b.queue(s);
        case "q" -> TextSearch.apply(b, s);
        case "tenant" -> {
          // read above
        }
        default ->
            throw v.problem(
                "unknown filter '" + e.getKey() + "'; expected state, name, tag, queue, q, tenant");
      }
    }
    JobQuery q = b.build();
    List<String> out = new ArrayList<>();
    while (true) {
      JobPage page = jobs.list(q);
      for (JobInfo j : page.jobs()) {
        out.add(j.id());
      }
      if (out.size() > CAP) {
        throw filter.problem(
            "the filter matches more than " + CAP + " jobs; narrow it (state, name, tag, queue)");
      }
      if (page.nextCursor().isEmpty()) {
        return out;
      }
      q = q.after(page.nextCursor().get());
    }
  }
}
