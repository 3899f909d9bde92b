/**
 * When schedules fire: {@link CronExpression} (our own cron parser and matcher) and {@link Trigger}
 * (a cron expression in a time zone, with the daylight-saving rules of docs/scheduling.md, or a
 * fixed interval). Depends on nothing else of the runtime. Not API.
 */
package dev.jobkit.runtime.internal.schedule;
