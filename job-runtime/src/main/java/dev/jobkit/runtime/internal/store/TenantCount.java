package dev.jobkit.runtime.internal.store;

/**
 * How many jobs of a tenant wait and run (#14 tenants).
 *
 * @param tenant the tenant
 * @param queued its jobs QUEUED, SCHEDULED, WAITING_RETRY or WAITING
 * @param running its jobs RUNNING
 */
public record TenantCount(String tenant, long queued, long running) {}
