package dev.jobkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code transient} field of a {@link Job @Job} class as a <em>service</em>: an object the
 * job uses (a mail sender, a repository, an HTTP client) that is neither a parameter nor state. The
 * runtime sets it from the manager's {@link dev.jobkit.spi.ServiceResolver} on the fresh job object
 * of every attempt, just before {@link JobHandler#run}; it is never saved, never read from JSON and
 * not part of the job's schema.
 *
 * <pre>{@code
 * @Job(name = "send_welcome")
 * public class SendWelcomeJob implements JobHandler<Void> {
 *   public String userId;                    // parameter
 *   @Service transient Mailer mailer;        // service: set before each attempt
 *   @Service("audit") transient Log log;     // a service by name
 *
 *   public Void run(JobContext ctx) { mailer.send(userId, "Welcome"); return null; }
 * }
 * }</pre>
 *
 * <p>The field must be {@code transient} (so that it is plainly not saved), not {@code static},
 * {@code final} or {@code private}, and of a class or interface type without type arguments (the
 * type the resolver looks up). Record jobs cannot have services. The annotation processor reports
 * each of these as a compile error. Services are not set yet while the job's constructor runs, and
 * a job object made for dispatch has none.
 *
 * <p>This is not Spring's {@code @Service} (that one goes on a class); an IDE that imports the
 * wrong one gets a compile error, since Spring's cannot be put on a field.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Service {

  /**
   * The name of the service, for a resolver that holds several of one type (in Spring: the bean
   * name); empty (the default) looks it up by type alone.
   */
  String value() default "";
}
