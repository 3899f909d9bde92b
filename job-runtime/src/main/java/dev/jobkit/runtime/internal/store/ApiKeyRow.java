package dev.jobkit.runtime.internal.store;

/**
 * A stored API key. Times are epoch millis; 0 when it has not happened.
 *
 * @param role the role's name
 * @param secretHash the SHA-256 of the whole secret, lower-case hex
 * @param createdBy who created it, or null
 * @param tenant the one tenant the key acts for (#14 tenants), or null for every tenant
 */
public record ApiKeyRow(
    String id,
    String name,
    String role,
    String secretHash,
    long createdAt,
    String createdBy,
    long lastUsedAt,
    long revokedAt,
    String tenant) {}
