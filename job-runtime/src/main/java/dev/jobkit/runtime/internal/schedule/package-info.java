/**
 * The rules of schedules, without I/O: when they fire ({@link CronExpression}, our own cron parser
 * and matcher, and {@link Trigger}: a cron expression in a time zone with the daylight-saving rules
 * of docs/scheduling.md, or a fixed interval), and what a fire, trigger, pause or resume writes
 * ({@link SchedulePlanner}, over the store's schedule records). The parser and triggers depend on
 * nothing else of the runtime. Not API.
 */
package dev.jobkit.runtime.internal.schedule;
