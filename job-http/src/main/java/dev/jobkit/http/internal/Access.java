package dev.jobkit.http.internal;

/** Who may call a route: anyone, or a principal with at least a role's rights. */
public enum Access {
  /** No authentication (health, the login route, the UI's files). */
  PUBLIC,
  /** Viewer: read. */
  READ,
  /** Operator: submit and control jobs. */
  OPERATE,
  /** Admin: API keys and cleanup. */
  ADMIN;

  /** Whether the route changes state (refused in read-only mode). */
  boolean changesState() {
    return this == OPERATE || this == ADMIN;
  }
}
