package dev.jobkit.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobDetail;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobInfo;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.JobQuery;
import dev.jobkit.runtime.TemplateException;
import dev.jobkit.runtime.TemplateException.Kind;
import dev.jobkit.runtime.TemplateInfo;
import dev.jobkit.runtime.Templates;
import dev.jobkit.runtime.internal.store.JobStore;
import dev.jobkit.runtime.internal.store.TemplateRow;
import dev.jobkit.runtime.testing.TestDatabase;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job templates (issue #12) on both databases ({@link TemplatesSqliteTest}, {@link
 * TemplatesPostgresTest}): saving, listing, validation at save and at use, sets, dispatch, and
 * export/import.
 */
abstract class TemplatesTest {
  @TempDir Path dir;
  private final TestDatabase.Backend backend;
  private TestDatabase db;
  private final List<JobManager> open = new CopyOnWriteArrayList<>();

  TemplatesTest(TestDatabase.Backend backend) {
    this.backend = backend;
  }

  @BeforeEach
  void createDatabase() {
    db = backend.create(dir);
  }

  @AfterEach
  void closeAll() {
    open.forEach(JobManager::close);
  }

  private JobManager client(TestDatabase on) {
    JobManager m = on.builder().noWorkers().open();
    open.add(m);
    return m;
  }

  private static Map<String, String> sets(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void savesListsGetsUpsertsAndDeletes() {
    Templates t = client(db).templates();
    Templates.Saved first =
        t.save(
            "nightly", "test.template", "{ \"name\" : \"a\",\n \"count\": 2 }", " Nightly ", "cli");
    assertTrue(first.created());
    TemplateInfo info = first.template();
    assertEquals("nightly", info.name());
    assertEquals("test.template", info.jobName());
    assertEquals("{\"name\":\"a\",\"count\":2}", info.paramsJson());
    assertEquals(Optional.of("Nightly"), info.description());
    assertEquals(Optional.of("cli"), info.createdBy());
    t.save("adhoc", "test.template", "{}", null, null);

    assertEquals(List.of("adhoc", "nightly"), t.list().stream().map(TemplateInfo::name).toList());
    assertEquals(Optional.of(info), t.get("nightly"));
    assertEquals(Optional.empty(), t.get("nope"));

    Templates.Saved again = t.save("nightly", "test.template", "{\"count\": 5}", null, "key:ops");
    assertFalse(again.created());
    TemplateInfo updated = t.get("nightly").orElseThrow();
    assertEquals("{\"count\":5}", updated.paramsJson());
    assertEquals(Optional.empty(), updated.description());
    // The creation is kept.
    assertEquals(info.createdAt(), updated.createdAt());
    assertEquals(Optional.of("cli"), updated.createdBy());
    assertEquals(again.template(), updated);

    assertTrue(t.delete("nightly", "cli"));
    assertFalse(t.delete("nightly", "cli"));
    assertEquals(List.of("adhoc"), t.list().stream().map(TemplateInfo::name).toList());
  }

  @Test
  void badJsonAtSaveNamesTemplateTypeLineAndColumnAndStoresNothing() {
    Templates t = client(db).templates();
    TemplateException e =
        assertThrows(
            TemplateException.class,
            () -> t.save("bad", "test.template", "{\"name\": \"a\",\n  \"count\": }", null, null));
    assertEquals(Kind.INVALID_PARAMETERS, e.kind());
    assertTrue(e.getMessage().startsWith("template 'bad': test.template: "), e.getMessage());
    assertTrue(e.getMessage().contains("(line 2, column "), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    assertEquals(2, e.line());
    assertEquals(List.of(), t.list());
  }

  @Test
  void wrongFieldTypeAtSaveNamesThePath() {
    Templates t = client(db).templates();
    TemplateException e =
        assertThrows(
            TemplateException.class,
            () -> t.save("bad", "test.template", "{\"target\": {\"port\": \"x\"}}", null, null));
    assertEquals(Kind.INVALID_PARAMETERS, e.kind());
    assertEquals("$.target.port", e.path());
    assertTrue(
        e.getMessage().startsWith("template 'bad': test.template: $.target.port: "),
        e.getMessage());
    assertTrue(e.getMessage().contains("(line 1, column "), e.getMessage());

    TemplateException unknownField =
        assertThrows(
            TemplateException.class,
            () -> t.save("bad", "test.template", "{\"nmae\": \"x\"}", null, null));
    assertEquals("$.nmae", unknownField.path());
  }

  @Test
  void unknownTypeAndBadNamesAreRefusedWithSuggestions() {
    Templates t = client(db).templates();
    TemplateException type =
        assertThrows(TemplateException.class, () -> t.save("x", "test.templat", "{}", null, null));
    assertEquals(Kind.UNKNOWN_JOB, type.kind());
    assertTrue(type.getMessage().startsWith("template 'x': unknown job 'test.templat'"));
    assertTrue(type.getMessage().contains("did you mean 'test.template'?"), type.getMessage());

    TemplateException name =
        assertThrows(
            TemplateException.class, () -> t.save("a b", "test.template", "{}", null, null));
    assertEquals(Kind.INVALID_NAME, name.kind());
    assertTrue(name.getMessage().contains("'a b' is not valid"), name.getMessage());

    TemplateException array =
        assertThrows(TemplateException.class, () -> t.save("x", "test.template", "[]", null, null));
    assertEquals(Kind.INVALID_PARAMETERS, array.kind());
  }

  @Test
  void dispatchAppliesSetsAndTagsTheJob() {
    JobManager jobs = client(db);
    Templates t = jobs.templates();
    t.save(
        "deploy",
        "test.template",
        "{\"name\": \"a\", \"target\": {\"host\": \"db1\", \"port\": 5432}}",
        null,
        "cli");

    Map<String, String> sets =
        sets(
            "target.port", "6543", // a JSON number, into a nested object
            "name", "hello world", // not JSON: taken as a string
            "items", "[\"x\",\"y\"]"); // a JSON array
    assertEquals(
        "{\"name\":\"hello world\",\"target\":{\"host\":\"db1\",\"port\":6543},"
            + "\"items\":[\"x\",\"y\"]}",
        t.resolve("deploy", sets));

    JobHandle<?> h =
        t.dispatch(
            "deploy",
            sets,
            DispatchOptions.builder().queue("other").tags("mine").createdBy("key:ci").build());
    JobInfo info = jobs.job(h.id()).orElseThrow();
    assertEquals("test.template", info.name());
    assertEquals(List.of("mine", "template:deploy"), info.tags());
    assertEquals(Optional.of("key:ci"), info.createdBy());
    assertEquals("other", info.queue());
    JobDetail detail = jobs.detail(h.id()).orElseThrow();
    assertEquals(
        Optional.of(
            "{\"name\":\"hello world\",\"count\":1,\"items\":[\"x\",\"y\"],"
                + "\"target\":{\"host\":\"db1\",\"port\":6543}}"),
        detail.paramsJson());

    // A set that creates a missing object, and a quoted JSON string.
    t.save("bare", "test.template", "{}", null, null);
    assertEquals(
        "{\"target\":{\"host\":\"h\"},\"name\":\"7\"}",
        t.resolve("bare", sets("target.host", "h", "name", "\"7\"")));
    // The stored template is not changed by a dispatch.
    assertEquals(
        "{\"name\":\"a\",\"target\":{\"host\":\"db1\",\"port\":5432}}",
        t.get("deploy").orElseThrow().paramsJson());
  }

  @Test
  void badSetsAreOneLineErrorsNamingThePath() {
    JobManager jobs = client(db);
    Templates t = jobs.templates();
    t.save("deploy", "test.template", "{\"name\": \"a\"}", null, null);

    TemplateException into =
        assertThrows(TemplateException.class, () -> t.resolve("deploy", sets("name.x", "1")));
    assertEquals(Kind.INVALID_SET, into.kind());
    assertEquals(
        "template 'deploy': cannot set 'name.x': $.name is a string, not an object; set 'name'"
            + " as a whole instead",
        into.getMessage());

    TemplateException empty =
        assertThrows(TemplateException.class, () -> t.resolve("deploy", sets("a..b", "1")));
    assertEquals(Kind.INVALID_SET, empty.kind());

    TemplateException type =
        assertThrows(TemplateException.class, () -> t.resolve("deploy", sets("count", "many")));
    assertEquals(Kind.INVALID_PARAMETERS, type.kind());
    assertEquals("$.count", type.path());
    assertTrue(
        type.getMessage()
            .startsWith(
                "template 'deploy' with the given sets does not fit its job type: test.template:"
                    + " $.count: "),
        type.getMessage());
    assertFalse(type.getMessage().contains("line"), type.getMessage());

    TemplateException unknown =
        assertThrows(TemplateException.class, () -> t.dispatch("deploi", Map.of(), opts()));
    assertEquals(Kind.UNKNOWN_TEMPLATE, unknown.kind());
    assertEquals(
        "unknown template 'deploi'; did you mean 'deploy'?; see jobkit templates list",
        unknown.getMessage());
    assertEquals(0, jobs.list(JobQuery.builder().build()).jobs().size());
  }

  private static DispatchOptions opts() {
    return DispatchOptions.builder().queue("other").build();
  }

  @Test
  void aTemplateThatNoLongerFitsItsTypeFailsAtUse() {
    JobManager jobs = client(db);
    try (JobStore raw = RawStores.open(db)) {
      // As if saved before the job's field 'retired' was removed, and for a type removed since.
      raw.saveTemplate(
          new TemplateRow("old", "test.template", "{\"retired\":true}", null, 1, "cli", 1));
      raw.saveTemplate(new TemplateRow("gone", "test.gone", "{}", null, 1, null, 1));
    }
    Templates t = jobs.templates();
    TemplateException e =
        assertThrows(TemplateException.class, () -> t.dispatch("old", Map.of(), opts()));
    assertEquals(Kind.INVALID_PARAMETERS, e.kind());
    assertEquals("$.retired", e.path());
    assertTrue(
        e.getMessage()
            .startsWith("template 'old' no longer fits its job type: test.template: $.retired: "),
        e.getMessage());
    assertTrue(
        e.getMessage().endsWith("(jobkit templates save old --job test.template --json ...)"));

    TemplateException gone =
        assertThrows(TemplateException.class, () -> t.dispatch("gone", Map.of(), opts()));
    assertEquals(Kind.UNKNOWN_JOB, gone.kind());
    assertTrue(gone.getMessage().startsWith("template 'gone': unknown job 'test.gone'"));
    assertEquals(0, jobs.list(JobQuery.builder().build()).jobs().size());
  }

  @Test
  void exportedTemplatesImportIntoAnotherDatabaseExactly() {
    JobManager source = client(db);
    source.templates().save("a", "test.template", "{\"count\": 3}", "three", "cli");
    try (JobStore raw = RawStores.open(db)) {
      // Import does not need the type: it is checked at use.
      raw.saveTemplate(
          new TemplateRow("b", "test.elsewhere", "{\"x\":[1,2.50]}", null, 5, null, 6));
    }
    List<TemplateInfo> exported = source.templates().list();
    assertEquals(2, exported.size());

    TestDatabase other =
        backend == TestDatabase.Backend.SQLITE
            ? TestDatabase.sqlite(dir.resolve("other.db"))
            : TestDatabase.postgres();
    JobManager target = client(other);
    target.templates().save("b", "test.template", "{}", null, null);

    Templates.ImportResult r = target.templates().importAll(exported, false);
    assertEquals(List.of("a"), r.inserted());
    assertEquals(List.of("b"), r.skipped());
    assertEquals("{}", target.templates().get("b").orElseThrow().paramsJson());

    Templates.ImportResult again = target.templates().importAll(exported, true);
    assertEquals(List.of("a", "b"), again.replaced());
    assertEquals(exported, target.templates().list());

    // migrateTo copies templates too.
    TestDatabase third =
        backend == TestDatabase.Backend.SQLITE
            ? TestDatabase.sqlite(dir.resolve("third.db"))
            : TestDatabase.postgres();
    JobManager migrated = client(third);
    source.transfer().migrateTo(migrated);
    assertEquals(exported, migrated.templates().list());
  }
}
