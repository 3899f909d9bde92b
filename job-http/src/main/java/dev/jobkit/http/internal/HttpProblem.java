package dev.jobkit.http.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answered as an RFC 9457 problem: a status, a slug for its {@code type} URI, a title, the
 * one-line detail, and optional extra members (such as {@code path}, {@code line}, {@code column},
 * {@code jobName}). Thrown by handlers; the dispatcher writes it.
 */
public final class HttpProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String slug;
  private final String title;
  private final transient Map<String, Object> extras = new LinkedHashMap<>();
  private final transient Map<String, String> headers = new LinkedHashMap<>();

  /** A problem with this status, type slug, title and one-line detail. */
  public HttpProblem(int status, String slug, String title, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  /** 400 bad request of the type {@code bad-request}. */
  public static HttpProblem badRequest(String detail) {
    return new HttpProblem(400, "bad-request", "Bad request", detail);
  }

  /** 404 of the type {@code not-found}. */
  public static HttpProblem notFound(String detail) {
    return new HttpProblem(404, "not-found", "Not found", detail);
  }

  /** 409 of the type {@code conflict}. */
  public static HttpProblem conflict(String detail) {
    return new HttpProblem(409, "conflict", "Conflict", detail);
  }

  /** 403 of the type {@code forbidden}. */
  public static HttpProblem forbidden(String detail) {
    return new HttpProblem(403, "forbidden", "Forbidden", detail);
  }

  /** Adds a member to the problem document (a String, Number or Boolean). */
  public HttpProblem with(String member, Object value) {
    if (value != null) {
      extras.put(member, value);
    }
    return this;
  }

  /** Adds a response header, such as {@code Allow} or {@code Retry-After}. */
  public HttpProblem header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The slug of the type URI. */
  public String slug() {
    return slug;
  }

  /** The title. */
  public String title() {
    return title;
  }

  /** The extra members, in insertion order. */
  public Map<String, Object> extras() {
    return extras;
  }

  /** The extra response headers. */
  public Map<String, String> headers() {
    return headers;
  }
}
