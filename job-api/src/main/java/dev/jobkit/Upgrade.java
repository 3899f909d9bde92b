package dev.jobkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static method of a {@link Job @Job} class that upgrades saved state from version {@link
 * #from()} to {@code from() + 1}.
 *
 * <p>The method takes the decoded state as a mutable {@code Map<String, Object>} and rewrites it in
 * place; it must be {@code static}, not {@code private}, and return {@code void}. Values in the map
 * are {@code null}, {@link Boolean}, {@link Long} (or {@link java.math.BigInteger} beyond the long
 * range), {@link Double}, {@link String}, {@code byte[]}, {@link java.time.Instant}, {@link
 * java.util.List} and {@link java.util.Map} (keys {@link String} or {@link Long}), as MessagePack
 * stores them. A job of {@code version = N} needs one step for each of {@code 1 .. N-1}; the
 * processor checks the chain at compile time and the registry runs it when it reads older state.
 *
 * <pre>{@code
 * @Upgrade(from = 1)
 * static void renameSource(Map<String, Object> state) {
 *   state.put("sources", List.of(state.remove("source")));
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Upgrade {
  /** The version this step reads; it produces version {@code from + 1}. */
  int from();
}
