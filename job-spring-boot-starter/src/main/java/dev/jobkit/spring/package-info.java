/**
 * The Spring Boot starter: {@link dev.jobkit.spring.JobkitAutoConfiguration} opens a {@link
 * dev.jobkit.runtime.JobManager} from {@code jobkit.*} properties ({@link
 * dev.jobkit.spring.JobkitProperties}), gives jobs the application's beans as their {@link
 * dev.jobkit.Service services}, starts and stops the workers with the application context, reports
 * to Actuator's health endpoint, and lets dispatches join Spring transactions on PostgreSQL.
 */
package dev.jobkit.spring;
