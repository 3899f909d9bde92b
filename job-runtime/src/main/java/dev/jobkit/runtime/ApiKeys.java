package dev.jobkit.runtime;

import dev.jobkit.runtime.internal.store.ApiKeyRow;
import dev.jobkit.runtime.internal.store.JobStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys of the job database, for the HTTP API and dashboard: from {@link JobManager#apiKeys()}.
 * Keys are shared by every process on the database.
 *
 * <p>A secret is {@code jk_<id>_<43 characters>}: the key's id and 32 random bytes in base64url. It
 * is shown once, by {@link #create}; only the SHA-256 of the whole secret is stored. A fast hash is
 * right here (as for GitHub's and Stripe's tokens): the secret carries 256 random bits, so nobody
 * can guess it from its hash, unlike a password, which a slow hash must protect. Secrets are never
 * logged. Thread-safe.
 */
public final class ApiKeys {
  private static final Logger log = LoggerFactory.getLogger(ApiKeys.class);
  private static final Pattern NAME = Pattern.compile("[a-z0-9._-]{1,64}");
  private static final Pattern SECRET = Pattern.compile("jk_([a-z0-9]{16})_[A-Za-z0-9_-]{43}");

  /** The last use of a key is stored at most this often, in millis. */
  static final long TOUCH_INTERVAL_MS = 60_000;

  private final JobStore store;
  private final Clock clock;
  private final SecureRandom random;
  private final AuditLog audit; // #14 tenants
  private final Runnable checkOpen;

  ApiKeys(JobStore store, Clock clock, SecureRandom random, AuditLog audit, Runnable checkOpen) {
    this.audit = audit;
    this.store = store;
    this.clock = clock;
    this.random = random;
    this.checkOpen = checkOpen;
  }

  /** What a key may do; each role allows everything the roles before it allow. */
  public enum Role {
    /** Reads jobs, types, statistics and nodes. */
    VIEWER,
    /** Also dispatches and controls jobs (cancel, pause, resume, retry, clone). */
    OPERATOR,
    /** Also manages API keys and cleans up. */
    ADMIN;

    /** Whether this role may do what {@code required} may. */
    public boolean allows(Role required) {
      return compareTo(Objects.requireNonNull(required, "required")) >= 0;
    }

    /**
     * The role named {@code s}, ignoring case ({@code viewer}, {@code operator}, {@code admin}).
     *
     * @throws IllegalArgumentException naming the roles, if there is no such role
     */
    public static Role parse(String s) {
      for (Role r : values()) {
        if (r.name().equalsIgnoreCase(s == null ? "" : s.strip())) {
          return r;
        }
      }
      throw new IllegalArgumentException("unknown role '" + s + "': use viewer, operator or admin");
    }
  }

  /**
   * A stored key, without its secret.
   *
   * @param id the key's id, also part of its secret
   * @param name its unique name (among keys that are not revoked); actions taken with it are
   *     recorded as {@code key:NAME}
   * @param role what it may do
   * @param createdAt when it was created
   * @param createdBy who created it, if recorded
   * @param lastUsedAt when it was last verified (stored at most once a minute), if ever
   * @param revokedAt when it was revoked, if it was
   * @param tenant the one tenant the key acts for (#14 tenants); empty for a key that acts for
   *     every tenant
   */
  public record ApiKey(
      String id,
      String name,
      Role role,
      Instant createdAt,
      Optional<String> createdBy,
      Optional<Instant> lastUsedAt,
      Optional<Instant> revokedAt,
      Optional<String> tenant) {

    /** Validates. */
    public ApiKey {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(createdAt, "createdAt");
      Objects.requireNonNull(createdBy, "createdBy");
      Objects.requireNonNull(lastUsedAt, "lastUsedAt");
      Objects.requireNonNull(revokedAt, "revokedAt");
      Objects.requireNonNull(tenant, "tenant");
    }

    /** Whether the key is usable (not revoked). */
    public boolean active() {
      return revokedAt.isEmpty();
    }
  }

  /**
   * A key just created, with its secret, which is shown this once and cannot be read again.
   *
   * @param key the stored key
   * @param secret the secret to hand to its user
   */
  public record CreatedKey(ApiKey key, String secret) {

    /** Validates. */
    public CreatedKey {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(secret, "secret");
    }

    /** The key without its secret. */
    @Override
    public String toString() {
      return "CreatedKey[key=" + key + ", secret=(hidden)]";
    }
  }

  /**
   * Creates a key and returns it with its secret.
   *
   * @param name 1 to 64 of {@code a-z 0-9 . _ -}, unique among keys that are not revoked
   * @param actor who creates it (such as {@code cli} or {@code key:admin}), or null
   * @throws IllegalArgumentException if the name is not valid
   * @throws IllegalStateException if a key that is not revoked has that name
   */
  public CreatedKey create(String name, Role role, String actor) {
    return create(name, role, null, actor);
  }

  /**
   * Creates a key that acts for one tenant only (#14 tenants), or for every tenant when {@code
   * tenant} is null, and returns it with its secret.
   *
   * @param name 1 to 64 of {@code a-z 0-9 . _ -}, unique among keys that are not revoked
   * @param tenant the tenant ({@link Tenants#checkName}), or null for every tenant
   * @param actor who creates it (such as {@code cli} or {@code key:admin}), or null
   * @throws IllegalArgumentException if the name or the tenant is not valid
   * @throws IllegalStateException if a key that is not revoked has that name
   */
  public CreatedKey create(String name, Role role, String tenant, String actor) {
    checkOpen.run();
    if (tenant != null) {
      Tenants.checkName(tenant);
    }
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "API key name '"
              + shorten(name)
              + "' is not valid: use 1 to 64 characters of a-z, 0-9, '.', '_' and '-'");
    }
    byte[] idBytes = new byte[8];
    random.nextBytes(idBytes);
    String id = HexFormat.of().formatHex(idBytes);
    byte[] secretBytes = new byte[32];
    random.nextBytes(secretBytes);
    String secret =
        "jk_" + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
    long now = clock.millis();
    ApiKeyRow row = new ApiKeyRow(id, name, role.name(), sha256(secret), now, actor, 0, 0, tenant);
    if (!store.insertApiKey(row)) {
      throw new IllegalStateException(
          "an API key named '"
              + name
              + "' exists; revoke it first (jobkit keys revoke "
              + name
              + ") or choose another name");
    }
    log.info(
        "API key {} ({}, tenant {}) created by {}",
        name,
        role,
        tenant == null ? "(all)" : tenant,
        actor == null ? "(unknown)" : actor);
    audit.after(actor, tenant, AuditLog.KEY_CREATE, name, role.name().toLowerCase(Locale.ROOT));
    return new CreatedKey(toKey(row), secret);
  }

  /** Every key, revoked ones included, newest first. */
  public List<ApiKey> list() {
    checkOpen.run();
    return store.apiKeys().stream().map(ApiKeys::toKey).toList();
  }

  /**
   * Revokes the key with this name that is not revoked yet, or else the key with this id. Its
   * secret stops working at once (a server may cache a verification for a few seconds).
   *
   * @param actor who revokes it, logged
   * @return false if no such key is active
   */
  public boolean revoke(String nameOrId, String actor) {
    checkOpen.run();
    Objects.requireNonNull(nameOrId, "nameOrId");
    Optional<ApiKeyRow> before =
        actor == null
            ? Optional.empty()
            : store.apiKeys().stream()
                .filter(k -> k.revokedAt() == 0)
                .filter(k -> k.name().equals(nameOrId) || k.id().equals(nameOrId))
                .findFirst();
    boolean done = store.revokeApiKey(nameOrId, clock.millis());
    if (done) {
      audit.after(
          actor,
          before.map(ApiKeyRow::tenant).orElse(null),
          AuditLog.KEY_REVOKE,
          before.map(ApiKeyRow::name).orElse(nameOrId),
          null);
      log.info("API key {} revoked by {}", nameOrId, actor == null ? "(unknown)" : actor);
    }
    return done;
  }

  /**
   * The active key whose secret this is; empty for a malformed, unknown or revoked secret. The
   * comparison takes the same time wherever the hashes differ. Records the key's last use, at most
   * once a minute.
   */
  public Optional<ApiKey> verify(String secret) {
    checkOpen.run();
    if (secret == null) {
      return Optional.empty();
    }
    var m = SECRET.matcher(secret);
    if (!m.matches()) {
      return Optional.empty();
    }
    Optional<ApiKeyRow> row = store.apiKey(m.group(1));
    byte[] given = sha256(secret).getBytes(StandardCharsets.US_ASCII);
    // Compared even when there is no row, so that an unknown id takes as long as a wrong secret.
    byte[] stored =
        row.map(r -> r.secretHash().toLowerCase(Locale.ROOT))
            .orElse("0".repeat(64))
            .getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(given, stored) || row.isEmpty() || row.get().revokedAt() != 0) {
      return Optional.empty();
    }
    ApiKeyRow r = row.get();
    long now = clock.millis();
    if (r.lastUsedAt() < now - TOUCH_INTERVAL_MS) {
      store.touchApiKey(r.id(), now, now - TOUCH_INTERVAL_MS);
      r =
          new ApiKeyRow(
              r.id(),
              r.name(),
              r.role(),
              r.secretHash(),
              r.createdAt(),
              r.createdBy(),
              now,
              0,
              r.tenant());
    }
    return Optional.of(toKey(r));
  }

  /**
   * The stored hash of an active key's secret (lower-case hex SHA-256), for a server that signs
   * session cookies with it; empty if the key is unknown or revoked.
   */
  public Optional<String> secretHash(String id) {
    checkOpen.run();
    return store.apiKey(id).filter(r -> r.revokedAt() == 0).map(ApiKeyRow::secretHash);
  }

  /** Whether any key that is not revoked exists. */
  public boolean anyActive() {
    checkOpen.run();
    return store.anyActiveApiKey();
  }

  static String sha256(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static ApiKey toKey(ApiKeyRow r) {
    return new ApiKey(
        r.id(),
        r.name(),
        Role.valueOf(r.role()),
        Instant.ofEpochMilli(r.createdAt()),
        Optional.ofNullable(r.createdBy()),
        r.lastUsedAt() == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(r.lastUsedAt())),
        r.revokedAt() == 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(r.revokedAt())),
        Optional.ofNullable(r.tenant()));
  }

  private static String shorten(String s) {
    return s.length() > 70 ? s.substring(0, 70) + "..." : s;
  }
}
