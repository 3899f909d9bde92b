package dev.jobkit.runtime;

import dev.jobkit.JobDecodeException;
import dev.jobkit.JobRegistry;
import dev.jobkit.UnknownJobException;
import dev.jobkit.runtime.TemplateException.Kind;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.JobStore.ImportOutcome;
import dev.jobkit.runtime.internal.store.NewJob;
import dev.jobkit.runtime.internal.store.TemplateRow;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job templates of the database: saved, named presets of a job type's JSON parameters, from {@link
 * JobManager#templates()}. Shared by every process on the database.
 *
 * <p>A template is checked against its job type's fields when it is saved and again each time it is
 * used, so a template that no longer fits (the job's class changed) fails with a one-line {@link
 * TemplateException} naming the template, the type and the JSON path, and stores nothing. When it
 * is used, sets override its fields: {@code field} is a dotted path into the JSON object ({@code
 * a.b}; objects on the way are created when missing); the value is parsed as JSON when it is one
 * valid JSON value ({@code 3}, {@code true}, {@code "x"}, {@code [1]}, <code>{...}</code>), else
 * taken as a string. A job dispatched from a template carries the tag {@code template:NAME}, and
 * its {@link JobInfo#createdBy()} is the actor of the dispatch. See {@code docs/templates.md}.
 * Thread-safe.
 */
public final class Templates {
  private static final Logger log = LoggerFactory.getLogger(Templates.class);

  /** Names: 1 to 64 of letters, digits, '.', '_' and '-', starting with a letter or digit. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** The tag prefix of jobs dispatched from a template. */
  public static final String TAG_PREFIX = "template:";

  private final JobStore store;
  private final JobRegistry registry;
  private final Clock clock;
  private final DispatchDefaults defaults;
  private final Function<NewJob, JobHandle<?>> insert;
  private final AuditLog audit; // #14 tenants
  private final Runnable checkOpen;

  Templates(
      JobStore store,
      JobRegistry registry,
      Clock clock,
      DispatchDefaults defaults,
      Function<NewJob, JobHandle<?>> insert,
      AuditLog audit,
      Runnable checkOpen) {
    this.audit = audit;
    this.store = store;
    this.registry = registry;
    this.clock = clock;
    this.defaults = defaults;
    this.insert = insert;
    this.checkOpen = checkOpen;
  }

  /**
   * A saved template and whether the save created it.
   *
   * @param template the template as stored
   * @param created true when no template had its name before, false when it replaced one
   */
  public record Saved(TemplateInfo template, boolean created) {
    /** Validates. */
    public Saved {
      Objects.requireNonNull(template, "template");
    }
  }

  /** What {@link #importAll} did, by template name, in the given order. */
  public record ImportResult(List<String> inserted, List<String> replaced, List<String> skipped) {
    /** Copies. */
    public ImportResult {
      inserted = List.copyOf(inserted);
      replaced = List.copyOf(replaced);
      skipped = List.copyOf(skipped);
    }
  }

  /**
   * Saves a template: creates it, or replaces the job type, parameters and description of the one
   * with this name (keeping when and by whom it was created). The parameters are checked against
   * the job type's fields as a dispatch would check them, and stored as compact JSON; fields they
   * do not give keep the job's defaults when the template is used.
   *
   * @param name 1 to 64 of letters, digits, '.', '_' and '-', starting with a letter or digit
   * @param jobType a job type registered in this process
   * @param json the parameters, a JSON object
   * @param description what the template is for, or null
   * @param actor who saves it (such as {@code cli} or {@code key:ops}), or null
   * @throws TemplateException if the name is not valid, the job type is unknown, or the JSON does
   *     not fit the type (with its path, line and column)
   */
  public Saved save(String name, String jobType, String json, String description, String actor) {
    return save(name, jobType, json, description, Tenants.DEFAULT, actor);
  }

  /**
   * Saves a template into a tenant (#14 tenants): as {@link #save(String, String, String, String,
   * String)}, and the jobs dispatched from it go into {@code tenant}. Template names are unique
   * across tenants: saving a name that another tenant's template has replaces that template (a
   * surface that acts for one tenant must check {@link #get} first).
   *
   * @param tenant the template's tenant ({@link Tenants#checkName})
   * @throws TemplateException as {@link #save(String, String, String, String, String)} does
   * @throws IllegalArgumentException if the tenant's name is not valid
   */
  public Saved save(
      String name, String jobType, String json, String description, String tenant, String actor) {
    checkOpen.run();
    Tenants.checkName(tenant);
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(jobType, "jobType");
    Objects.requireNonNull(json, "json");
    checkName(name);
    if (!registry.contains(jobType)) {
      throw unknownJob(name, jobType, "");
    }
    try {
      registry.fromJson(jobType, json);
    } catch (JobDecodeException e) {
      throw new TemplateException(
          Kind.INVALID_PARAMETERS,
          name,
          jobType,
          e.path(),
          e.line(),
          e.column(),
          "template '" + name + "': " + e.getMessage(),
          e);
    }
    String compact = compact(name, jobType, json);
    String desc = description == null || description.isBlank() ? null : description.strip();
    long now = clock.millis();
    TemplateRow row = new TemplateRow(name, jobType, compact, desc, now, actor, now, tenant);
    boolean created = store.saveTemplate(row);
    log.info(
        "Template {} ({}) {} by {}",
        name,
        jobType,
        created ? "created" : "updated",
        actor == null ? "(unknown)" : actor);
    TemplateRow stored = store.template(name).orElse(row);
    audit.after(actor, tenant, AuditLog.TEMPLATE_SAVE, name, jobType); // #14 tenants
    return new Saved(toInfo(stored), created);
  }

  /** Every template, by name. */
  public List<TemplateInfo> list() {
    checkOpen.run();
    return store.templates().stream().map(Templates::toInfo).toList();
  }

  /**
   * Every template of one tenant (#14 tenants), by name.
   *
   * @throws IllegalArgumentException if the name is not a valid tenant name
   */
  public List<TemplateInfo> list(String tenant) {
    Tenants.checkName(tenant);
    return list().stream().filter(t -> t.tenant().equals(tenant)).toList();
  }

  /** The template with this name, if saved. */
  public Optional<TemplateInfo> get(String name) {
    checkOpen.run();
    return store.template(Objects.requireNonNull(name, "name")).map(Templates::toInfo);
  }

  /**
   * Deletes the template with this name. Jobs dispatched from it are not affected.
   *
   * @param actor who deletes it, logged
   * @return false if no template has that name
   */
  public boolean delete(String name, String actor) {
    checkOpen.run();
    Optional<TemplateRow> before = actor == null ? Optional.empty() : store.template(name);
    boolean done = store.deleteTemplate(Objects.requireNonNull(name, "name"));
    if (done) {
      audit.after(
          actor,
          before.map(TemplateRow::tenant).orElse(null),
          AuditLog.TEMPLATE_DELETE,
          name,
          null); // #14 tenants
      log.info("Template {} deleted by {}", name, actor == null ? "(unknown)" : actor);
    }
    return done;
  }

  /**
   * The parameters that {@link #dispatch} would use: the template's JSON with {@code sets} applied
   * in their iteration order (see the class comment), checked against the job type's fields.
   * Returns compact JSON.
   *
   * @param sets field paths ({@code a.b}) to values (JSON, or else a string); may be empty
   * @throws TemplateException if no template has that name (listing close names), its job type is
   *     not registered here, a set cannot be applied, or the result does not fit the type
   */
  public String resolve(String name, Map<String, String> sets) {
    checkOpen.run();
    return resolved(name, sets).json();
  }

  /**
   * Dispatches a job from a template: its type, with the parameters of {@link #resolve} and the tag
   * {@code template:NAME} added to {@code options}' tags, into the template's tenant (#14 tenants).
   * Returns once the job is committed.
   *
   * @throws TemplateException as {@link #resolve} does
   * @throws IllegalArgumentException if {@code options} name a tenant other than the template's
   * @throws QuotaExceededException if the dispatch would exceed a quota of the tenant
   * @throws IllegalArgumentException if the parameters exceed the manager's size limit
   */
  public JobHandle<?> dispatch(String name, Map<String, String> sets, DispatchOptions options) {
    checkOpen.run();
    Objects.requireNonNull(options, "options");
    Resolved r = resolved(name, sets);
    // #14 tenants: the template's tenant; options may name it, not another one
    if (options.tenant().isPresent() && !options.tenant().get().equals(r.tenant())) {
      throw new IllegalArgumentException(
          "template '"
              + name
              + "' belongs to tenant '"
              + r.tenant()
              + "', not '"
              + options.tenant().get()
              + "'; dispatch it without a tenant, or save a template in '"
              + options.tenant().get()
              + "'");
    }
    NewJob j = defaults.ofJson(r.jobName(), r.json(), options, r.tenant());
    List<String> tags = new ArrayList<>(j.tags());
    String tag = TAG_PREFIX + r.template();
    if (!tags.contains(tag)) {
      tags.add(tag);
    }
    return insert.apply(j.withTags(tags)); // keeps the trace context and limit keys
  }

  /**
   * Writes templates exactly as given (creation and update times, creators), in one transaction, as
   * {@code jobkit import} does with an export. They are not checked against the job types, which
   * need not be registered here: a template is checked when it is used. A template whose name
   * exists is replaced when {@code replace}, else skipped.
   *
   * @throws TemplateException if a name is not valid or parameters are not a JSON object; nothing
   *     is written then
   */
  public ImportResult importAll(List<TemplateInfo> templates, boolean replace) {
    checkOpen.run();
    List<TemplateRow> rows = new ArrayList<>(templates.size());
    for (TemplateInfo t : templates) {
      checkName(t.name());
      rows.add(
          new TemplateRow(
              t.name(),
              t.jobName(),
              compact(t.name(), t.jobName(), t.paramsJson()),
              t.description().orElse(null),
              t.createdAt().toEpochMilli(),
              t.createdBy().orElse(null),
              t.updatedAt().toEpochMilli(),
              Tenants.checkName(t.tenant())));
    }
    List<ImportOutcome> outcomes = store.importTemplates(rows, replace);
    List<String> inserted = new ArrayList<>();
    List<String> replaced = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      String n = rows.get(i).name();
      switch (outcomes.get(i)) {
        case INSERTED -> inserted.add(n);
        case REPLACED -> replaced.add(n);
        case SKIPPED -> skipped.add(n);
      }
    }
    return new ImportResult(inserted, replaced, skipped);
  }

  // ---------------------------------------------------------------- internals

  private record Resolved(String template, String jobName, String json, String tenant) {}

  @SuppressWarnings("unchecked")
  private Resolved resolved(String name, Map<String, String> sets) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sets, "sets");
    TemplateRow row = store.template(name).orElseThrow(() -> unknownTemplate(name));
    String type = row.jobName();
    if (!registry.contains(type)) {
      throw unknownJob(
          name,
          type,
          "; use it where the job's class is on the class path, or save it again for another type");
    }
    Object tree;
    try {
      tree = TemplateJson.parse(row.params());
    } catch (TemplateJson.Malformed e) {
      tree = null;
    }
    if (!(tree instanceof Map<?, ?>)) {
      throw new TemplateException(
          Kind.INVALID_PARAMETERS,
          name,
          type,
          "$",
          0,
          0,
          "template '"
              + name
              + "': its stored parameters are not a JSON object; save it again with jobkit"
              + " templates save",
          null);
    }
    Map<String, Object> root = (Map<String, Object>) tree;
    for (Map.Entry<String, String> s : sets.entrySet()) {
      String path = Objects.requireNonNull(s.getKey(), "set path");
      String value = Objects.requireNonNull(s.getValue(), "set value");
      try {
        TemplateJson.set(root, path.strip(), TemplateJson.valueOf(value));
      } catch (IllegalArgumentException e) {
        throw new TemplateException(
            Kind.INVALID_SET,
            name,
            type,
            "$." + path.strip(),
            0,
            0,
            "template '" + name + "': " + e.getMessage(),
            e);
      }
    }
    String json = TemplateJson.write(root, false);
    try {
      registry.fromJson(type, json);
    } catch (JobDecodeException e) {
      // Line and column would point into the merged, compact text: only the path helps.
      String where = new JobDecodeException(type, e.path(), e.reason(), 0, 0, null).getMessage();
      String what =
          sets.isEmpty()
              ? "template '"
                  + name
                  + "' no longer fits its job type: "
                  + where
                  + "; save it again with parameters that fit (jobkit templates save "
                  + name
                  + " --job "
                  + type
                  + " --json ...)"
              : "template '" + name + "' with the given sets does not fit its job type: " + where;
      throw new TemplateException(Kind.INVALID_PARAMETERS, name, type, e.path(), 0, 0, what, e);
    }
    return new Resolved(name, type, json, row.tenant());
  }

  private static void checkName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new TemplateException(
          Kind.INVALID_NAME,
          name,
          "",
          "",
          0,
          0,
          "template name '"
              + (name.length() > 70 ? name.substring(0, 70) + "..." : name)
              + "' is not valid: use 1 to 64 letters, digits, '.', '_' and '-', starting with a"
              + " letter or digit",
          null);
    }
  }

  /** {@code json} as compact JSON; a template's parameters are one JSON object. */
  private static String compact(String name, String jobType, String json) {
    Object tree;
    try {
      tree = TemplateJson.parse(json);
    } catch (TemplateJson.Malformed e) {
      tree = null;
    }
    if (!(tree instanceof Map<?, ?>)) {
      throw new TemplateException(
          Kind.INVALID_PARAMETERS,
          name,
          jobType,
          "$",
          0,
          0,
          "template '" + name + "': its parameters must be one JSON object, such as {\"a\": 1}",
          null);
    }
    return TemplateJson.write(tree, false);
  }

  private TemplateException unknownJob(String template, String type, String hint) {
    TreeSet<String> known = new TreeSet<>(registry.names());
    return new TemplateException(
        Kind.UNKNOWN_JOB,
        template,
        type,
        "",
        0,
        0,
        "template '"
            + template
            + "': "
            + new UnknownJobException(type, known).getMessage()
            + didYouMean(type, known)
            + hint,
        null);
  }

  private TemplateException unknownTemplate(String name) {
    List<String> names = store.templates().stream().map(TemplateRow::name).toList();
    String hint =
        names.isEmpty()
            ? "; no templates are saved (jobkit templates save NAME --job TYPE --json PARAMS)"
            : didYouMean(name, names) + "; see jobkit templates list";
    return new TemplateException(
        Kind.UNKNOWN_TEMPLATE, name, "", "", 0, 0, "unknown template '" + name + "'" + hint, null);
  }

  /** {@code "; did you mean 'a' or 'b'?"} for up to three close names, or empty. */
  static String didYouMean(String typed, Collection<String> known) {
    String t = typed.toLowerCase(Locale.ROOT);
    int limit = Math.max(2, typed.length() / 3);
    List<String> close =
        known.stream()
            .filter(k -> distance(t, k.toLowerCase(Locale.ROOT)) <= limit)
            .sorted(
                Comparator.comparingInt((String k) -> distance(t, k.toLowerCase(Locale.ROOT)))
                    .thenComparing(Comparator.naturalOrder()))
            .limit(3)
            .map(k -> "'" + k + "'")
            .toList();
    if (close.isEmpty()) {
      return "";
    }
    String last = close.get(close.size() - 1);
    return close.size() == 1
        ? "; did you mean " + last + "?"
        : "; did you mean "
            + String.join(", ", close.subList(0, close.size() - 1))
            + " or "
            + last
            + "?";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] swap = prev;
      prev = cur;
      cur = swap;
    }
    return prev[b.length()];
  }

  private static TemplateInfo toInfo(TemplateRow r) {
    return new TemplateInfo(
        r.name(),
        r.jobName(),
        r.params(),
        Optional.ofNullable(r.description()),
        Instant.ofEpochMilli(r.createdAt()),
        Optional.ofNullable(r.createdBy()),
        Instant.ofEpochMilli(r.updatedAt()),
        r.tenant());
  }
}
