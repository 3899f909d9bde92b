package dev.jobkit.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.MissingServiceException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceResolverTest {

  @Test
  void aMapFindsServicesByTheirTypeOnly() {
    StringBuilder service = new StringBuilder();
    ServiceResolver r = ServiceResolver.of(Map.of(CharSequence.class, service));
    assertSame(service, r.require(CharSequence.class, ""));
    assertTrue(r.find(CharSequence.class, "named").isEmpty());
    assertTrue(r.find(StringBuilder.class, "").isEmpty());
  }

  @Test
  void aMapRefusesAServiceThatIsNotOfItsType() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ServiceResolver.of(Map.of(Runnable.class, "x")));
    assertEquals(
        "service for java.lang.Runnable is a java.lang.String, which is not one; map each type to"
            + " an instance of it",
        e.getMessage());
  }

  @Test
  void requireNamesWhatIsMissing() {
    MissingServiceException e =
        assertThrows(
            MissingServiceException.class,
            () -> ServiceResolver.none().require(Runnable.class, "cleanup"));
    assertEquals(
        "no service java.lang.Runnable named 'cleanup' is configured; give the JobManager one with"
            + " its builder's services(...), or declare it as a bean in Spring",
        e.getMessage());
  }

  @Test
  void requireRefusesAnObjectOfAnotherType() {
    ServiceResolver wrong = (type, name) -> Optional.of("not a runnable");
    MissingServiceException e =
        assertThrows(MissingServiceException.class, () -> wrong.require(Runnable.class, ""));
    assertEquals(
        "the service found for java.lang.Runnable is a java.lang.String, not a java.lang.Runnable;"
            + " fix the resolver given to the JobManager's builder services(...)",
        e.getMessage());
  }
}
