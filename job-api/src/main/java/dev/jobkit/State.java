package dev.jobkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of a {@link Job @Job} class as <em>state</em>: a value the job writes while it runs
 * (its position, counters, a plan made on the first run) and that each checkpoint saves, so that a
 * resumed run carries on where the last one stopped. Every other saved field is a
 * <em>parameter</em>: a value given when the job is dispatched and read, not changed, by the job.
 *
 * <pre>{@code
 * @Job(name = "file_copy")
 * public class FileCopyJob implements JobHandler<CopyReport> {
 *   public List<Path> sources = new ArrayList<>();   // parameter
 *   @State int nextIndex;                            // state
 * }
 * }</pre>
 *
 * <p>Both are saved in MessagePack checkpoints. JSON carries parameters only: {@link
 * JobRegistry#fromJson(String, String) dispatch JSON} that sets a state field is refused (a user
 * must not start a copy at file 50 by mistake), {@link JobRegistry#toJson} leaves state out, and
 * the job's parameter {@link JobRegistry#schema JSON Schema} does not list it.
 *
 * <p>Only fields of a {@code @Job} class itself can be state, and not {@code static} or {@code
 * transient} ones (those are not saved at all). A record job cannot have state: its components
 * never change while it runs. The annotation processor reports these cases as compile errors.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.FIELD, ElementType.RECORD_COMPONENT})
public @interface State {}
