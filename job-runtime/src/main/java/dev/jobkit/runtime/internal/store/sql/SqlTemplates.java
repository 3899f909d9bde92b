package dev.jobkit.runtime.internal.store.sql;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;

import dev.jobkit.runtime.internal.store.JobStore.ImportOutcome;
import dev.jobkit.runtime.internal.store.TemplateRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;

/**
 * The job templates of {@link SqlJobStore} (issue #12): {@code jobkit_templates}, one row per name.
 * The same statements on both databases.
 */
final class SqlTemplates {
  static final Field<String> P_NAME = field(name("name"), String.class);
  static final Field<String> P_JOB_NAME = field(name("job_name"), String.class);
  static final Field<String> P_PARAMS = field(name("params"), String.class);
  static final Field<String> P_DESCRIPTION = field(name("description"), String.class);
  static final Field<Long> P_CREATED_AT = field(name("created_at"), Long.class);
  static final Field<String> P_CREATED_BY = field(name("created_by"), String.class);
  static final Field<Long> P_UPDATED_AT = field(name("updated_at"), Long.class);
  static final Field<String> P_TENANT = field(name("tenant"), String.class); // #14 tenants

  private static final List<Field<?>> ALL =
      List.of(
          P_NAME,
          P_JOB_NAME,
          P_PARAMS,
          P_DESCRIPTION,
          P_CREATED_AT,
          P_CREATED_BY,
          P_UPDATED_AT,
          P_TENANT);

  private final Database db;
  private final Tables t;

  SqlTemplates(Database db, Tables t) {
    this.db = db;
    this.t = t;
  }

  /**
   * Updates the template with this name (its creation is kept) or inserts it. An update first, then
   * an insert that does nothing on a conflict, then the update again: two processes saving the same
   * new name at once both succeed (the later one wins), on both databases, without a dialect hook.
   */
  boolean save(TemplateRow r) {
    return db.write(
        (ctx, c) -> {
          if (update(ctx, r) > 0) {
            return false;
          }
          int n =
              ctx.insertInto(t.templates)
                  .set(P_NAME, r.name())
                  .set(P_JOB_NAME, r.jobName())
                  .set(P_PARAMS, r.params())
                  .set(P_DESCRIPTION, r.description())
                  .set(P_CREATED_AT, r.createdAt())
                  .set(P_CREATED_BY, r.createdBy())
                  .set(P_UPDATED_AT, r.updatedAt())
                  .set(P_TENANT, r.tenant())
                  .onConflict(P_NAME)
                  .doNothing()
                  .execute();
          if (n == 0) {
            update(ctx, r);
            return false;
          }
          return true;
        });
  }

  private int update(DSLContext ctx, TemplateRow r) {
    return ctx.update(t.templates)
        .set(P_JOB_NAME, r.jobName())
        .set(P_PARAMS, r.params())
        .set(P_DESCRIPTION, r.description())
        .set(P_UPDATED_AT, r.updatedAt())
        .set(P_TENANT, r.tenant())
        .where(P_NAME.eq(r.name()))
        .execute();
  }

  List<TemplateRow> all() {
    return db.read(
        (ctx, c) -> ctx.select(ALL).from(t.templates).orderBy(P_NAME).fetch(SqlTemplates::toRow));
  }

  Optional<TemplateRow> get(String name) {
    return db.read(
        (ctx, c) ->
            ctx.select(ALL)
                .from(t.templates)
                .where(P_NAME.eq(name))
                .fetchOptional(SqlTemplates::toRow));
  }

  boolean delete(String name) {
    return db.write((ctx, c) -> ctx.deleteFrom(t.templates).where(P_NAME.eq(name)).execute() > 0);
  }

  /** Writes rows exactly as given, in one transaction; see {@code JobStore.importTemplates}. */
  List<ImportOutcome> importAll(List<TemplateRow> rows, boolean replace) {
    if (rows.isEmpty()) {
      return List.of();
    }
    return db.write(
        (ctx, c) -> {
          List<ImportOutcome> out = new ArrayList<>(rows.size());
          for (TemplateRow r : rows) {
            boolean exists =
                ctx.fetchExists(ctx.selectOne().from(t.templates).where(P_NAME.eq(r.name())));
            if (exists && !replace) {
              out.add(ImportOutcome.SKIPPED);
              continue;
            }
            if (exists) {
              ctx.deleteFrom(t.templates).where(P_NAME.eq(r.name())).execute();
            }
            ctx.insertInto(t.templates)
                .set(P_NAME, r.name())
                .set(P_JOB_NAME, r.jobName())
                .set(P_PARAMS, r.params())
                .set(P_DESCRIPTION, r.description())
                .set(P_CREATED_AT, r.createdAt())
                .set(P_CREATED_BY, r.createdBy())
                .set(P_UPDATED_AT, r.updatedAt())
                .set(P_TENANT, r.tenant())
                .execute();
            out.add(exists ? ImportOutcome.REPLACED : ImportOutcome.INSERTED);
          }
          return out;
        });
  }

  private static TemplateRow toRow(Record r) {
    return new TemplateRow(
        r.get(P_NAME),
        r.get(P_JOB_NAME),
        r.get(P_PARAMS),
        r.get(P_DESCRIPTION),
        r.get(P_CREATED_AT),
        r.get(P_CREATED_BY),
        r.get(P_UPDATED_AT),
        r.get(P_TENANT));
  }
}
