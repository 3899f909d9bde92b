package dev.jobkit.http.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.jobkit.JobDecodeException;
import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.TemplateException;
import dev.jobkit.runtime.TemplateInfo;
import dev.jobkit.runtime.Templates;
import dev.jobkit.runtime.Tenants;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Job templates (issue #12): {@code /api/v1/templates} and {@code /api/v1/templates/{name}}, and
 * the template form of {@code POST /api/v1/jobs} ({@code {"template": NAME, "set": {...}}}).
 */
final class TemplateRoutes {
  private final JobManager jobs;

  TemplateRoutes(JobManager jobs) {
    this.jobs = jobs;
  }

  void register(Router r) {
    String api = ApiRoutes.API;
    r.add("GET", api + "/templates", Access.READ, "List the job templates", this::list);
    r.add("GET", api + "/templates/{name}", Access.READ, "One job template", this::get);
    r.add(
        "PUT",
        api + "/templates/{name}",
        Access.OPERATE,
        "Save a job template (create or replace)",
        this::put);
    r.add(
        "DELETE", api + "/templates/{name}", Access.OPERATE, "Delete a job template", this::delete);
  }

  private void list(Call c) throws IOException {
    String tenant = Tenancy.scope(c); // #14: a tenant's key lists its own
    List<TemplateInfo> all =
        tenant == null ? jobs.templates().list() : jobs.templates().list(tenant);
    c.json(
        200,
        g -> {
          g.writeStartObject();
          g.writeArrayFieldStart("templates");
          for (TemplateInfo t : all) {
            write(g, t);
          }
          g.writeEndArray();
          g.writeEndObject();
        });
  }

  private void get(Call c) throws IOException {
    String name = c.param("name");
    TemplateInfo t = visible(c, name);
    c.json(200, g -> write(g, t));
  }

  private void delete(Call c) throws IOException {
    String name = c.param("name");
    visible(c, name);
    if (!jobs.templates().delete(name, c.caller().actor())) {
      throw notFound(name);
    }
    c.send(204, null, new byte[0]);
  }

  /** {@code {"job": TYPE, "params": {...}, "description": "..."}}. */
  private void put(Call c) throws IOException {
    String name = c.param("name");
    String body = c.bodyText();
    Json.Node root = Json.read(body);
    Map<String, Json.Node> o = root.object();
    if (o == null) {
      throw root.problem(
          "expected {\"job\": \"type\", \"params\": {...}, \"description\": \"...\"}, found "
              + root.typeName());
    }
    Json.Node job = null;
    Json.Node params = null;
    Json.Node tenantNode = null;
    String description = null;
    for (Map.Entry<String, Json.Node> e : o.entrySet()) {
      Json.Node v = e.getValue();
      switch (e.getKey()) {
        case "job" -> job = v;
        case "params" -> params = v;
        case "tenant" -> tenantNode = v;
        case "description" -> {
          if (v.value() != null && !(v.value() instanceof String)) {
            throw v.problem("expected a string, found " + v.typeName());
          }
          description = (String) v.value();
        }
        default ->
            throw v.problem(
                "unknown field '" + e.getKey() + "'; expected job, params, description, tenant");
      }
    }
    if (job == null || !(job.value() instanceof String type)) {
      throw (job == null ? root : job).problem("expected 'job': the job type's name, a string");
    }
    String paramsJson = "{}";
    if (params != null) {
      if (params.object() == null) {
        throw params.problem(
            "expected an object (the job's parameters), found " + params.typeName());
      }
      paramsJson = body.substring(params.offset(), params.endOffset());
    }
    String tenant = tenant(c, name, tenantNode);
    Templates.Saved saved;
    try {
      saved =
          jobs.templates().save(name, type, paramsJson, description, tenant, c.caller().actor());
    } catch (TemplateException e) {
      throw problem(e, params, job);
    }
    c.exchange()
        .getResponseHeaders()
        .set("Location", c.base() + ApiRoutes.API + "/templates/" + saved.template().name());
    c.json(saved.created() ? 201 : 200, g -> write(g, saved.template()));
  }

  /**
   * {@code POST /api/v1/jobs} with {@code {"template": NAME, "set": {"a.b": value}, "options":
   * {...}}}: each set's value is JSON, applied as the runtime applies {@code --set}.
   */
  void submit(Call c, String body, Json.Node root, Map<String, Json.Node> o) throws IOException {
    Json.Node template = null;
    Json.Node set = null;
    Json.Node options = null;
    for (Map.Entry<String, Json.Node> e : o.entrySet()) {
      switch (e.getKey()) {
        case "template" -> template = e.getValue();
        case "set" -> set = e.getValue();
        case "options" -> options = e.getValue();
        default ->
            throw e.getValue()
                .problem(
                    "unknown field '"
                        + e.getKey()
                        + "'; with 'template' expected set, options (not name or params)");
      }
    }
    if (template == null || !(template.value() instanceof String name)) {
      throw (template == null ? root : template)
          .problem("expected 'template': a template's name, a string");
    }
    Caller caller = c.caller();
    if (!caller.allTenants()
        && jobs.templates().get(name).filter(t -> caller.sees(t.tenant())).isEmpty()) {
      // #14: another tenant's template is unknown, and the names suggested are the caller's own
      List<String> own =
          jobs.templates().list(caller.tenant()).stream().map(TemplateInfo::name).toList();
      List<String> close = ScheduleRoutes.close(name, own);
      String hint =
          close.isEmpty()
              ? ""
              : "; did you mean "
                  + String.join(" or ", close.stream().map(n -> "'" + n + "'").toList())
                  + "?";
      throw problem(unknownTemplate(name, hint), null, template);
    }
    Map<String, String> sets = new LinkedHashMap<>();
    if (set != null && set.value() != null) {
      if (set.object() == null) {
        throw set.problem(
            "expected an object of field paths to values, such as {\"target.port\": 5432}, found "
                + set.typeName());
      }
      for (Map.Entry<String, Json.Node> e : set.object().entrySet()) {
        Json.Node v = e.getValue();
        sets.put(e.getKey(), body.substring(v.offset(), v.endOffset()));
      }
    }
    DispatchOptions opts =
        ApiRoutes.options(
            options,
            c.caller(),
            jobs,
            Observability.traceHeaders(c.exchange().getRequestHeaders())); // #13
    JobHandle<?> h;
    try {
      h = jobs.templates().dispatch(name, sets, opts);
    } catch (TemplateException e) {
      throw problem(e, null, template);
    } catch (IllegalArgumentException e) {
      throw HttpProblem.badRequest("template '" + name + "': " + e.getMessage())
          .with("template", name);
    }
    JobInfo info = jobs.job(h.id()).orElseThrow();
    c.exchange()
        .getResponseHeaders()
        .set("Location", c.base() + ApiRoutes.API + "/jobs/" + info.id());
    c.json(h.created() ? 201 : 200, g -> JobJson.job(g, info));
  }

  private HttpProblem notFound(String name) {
    return problem(unknownTemplate(name), null, null);
  }

  private static TemplateException unknownTemplate(String name) {
    return unknownTemplate(name, "");
  }

  private static TemplateException unknownTemplate(String name, String hint) {
    return new TemplateException(
        TemplateException.Kind.UNKNOWN_TEMPLATE,
        name,
        "",
        "",
        0,
        0,
        "no template named '"
            + name
            + "'"
            + hint
            + "; list them with GET "
            + ApiRoutes.API
            + "/templates",
        null);
  }

  /** The template {@code name} if the caller sees it (#14: its tenant's), else the 404. */
  private TemplateInfo visible(Call c, String name) {
    return jobs.templates()
        .get(name)
        .filter(t -> c.caller().sees(t.tenant()))
        .orElseThrow(() -> notFound(name));
  }

  /**
   * The tenant of a template being saved (#14): the body's {@code tenant} (checked against the
   * caller), else the caller's, else the one of the template it replaces, else the default. A name
   * another tenant's template has is a 409 for a caller of one tenant (names are unique).
   */
  private String tenant(Call c, String name, Json.Node field) {
    Caller caller = c.caller();
    String asked = null;
    if (field != null && field.value() != null) {
      if (!(field.value() instanceof String s)) {
        throw field.problem("expected a tenant's name, found " + field.typeName());
      }
      asked = s;
    }
    String tenant = Tenancy.requested(caller, asked, field);
    Optional<String> existing = jobs.templates().get(name).map(TemplateInfo::tenant);
    if (existing.isPresent() && !caller.sees(existing.get())) {
      throw HttpProblem.conflict(
              "the name '"
                  + name
                  + "' is taken by a template of another tenant (names are unique across"
                  + " tenants); choose another name")
          .with("template", name);
    }
    return tenant != null ? tenant : existing.orElse(Tenants.DEFAULT);
  }

  /**
   * The problem of a template error. Parameters given in a body ({@code params}) have their decode
   * problem's path, line and column moved to the body, as a submit's are.
   */
  private static HttpProblem problem(TemplateException e, Json.Node params, Json.Node at) {
    HttpProblem p =
        switch (e.kind()) {
          case UNKNOWN_TEMPLATE ->
              new HttpProblem(
                  at == null ? 404 : 400, "unknown-template", "Unknown template", e.getMessage());
          case UNKNOWN_JOB ->
              new HttpProblem(400, "unknown-job", "Unknown job type", e.getMessage());
          case INVALID_SET ->
              new HttpProblem(400, "invalid-set", "Invalid set", e.getMessage())
                  .with("path", e.path());
          case INVALID_NAME -> HttpProblem.badRequest(e.getMessage());
          case INVALID_PARAMETERS -> {
            if (params != null && e.getCause() instanceof JobDecodeException d) {
              HttpProblem shifted = ApiRoutes.shifted(d, e.jobName(), params);
              HttpProblem q =
                  new HttpProblem(
                      400,
                      "invalid-parameters",
                      "Invalid job parameters",
                      "template '" + e.templateName() + "': " + shifted.getMessage());
              shifted.extras().forEach(q::with);
              yield q;
            }
            yield new HttpProblem(
                    400, "invalid-parameters", "Invalid job parameters", e.getMessage())
                .with("path", e.path());
          }
        };
    p.with("template", e.templateName());
    if (!e.jobName().isEmpty()) {
      p.with("jobName", e.jobName());
    }
    if (at != null && e.kind() == TemplateException.Kind.UNKNOWN_TEMPLATE) {
      p.with("path", at.path()).with("line", at.line()).with("column", at.column());
    }
    return p;
  }

  private static void write(JsonGenerator g, TemplateInfo t) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", t.name());
    g.writeStringField("job", t.jobName());
    g.writeFieldName("params");
    g.writeRawValue(t.paramsJson());
    g.writeStringField("tenant", t.tenant()); // #14 tenants
    JobJson.string(g, "description", t.description());
    JobJson.time(g, "createdAt", t.createdAt());
    JobJson.string(g, "createdBy", t.createdBy());
    JobJson.time(g, "updatedAt", t.updatedAt());
    g.writeEndObject();
  }
}
