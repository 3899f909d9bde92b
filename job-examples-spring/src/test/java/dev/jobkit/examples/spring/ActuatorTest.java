package dev.jobkit.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobkit.runtime.JobManager;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The running application over HTTP: a sign-up, jobkit in the health endpoint, Prometheus. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability // tests export no metrics unless asked
class ActuatorTest {
  @TempDir static Path dir;

  @DynamicPropertySource
  static void files(DynamicPropertyRegistry p) {
    p.add("spring.datasource.url", () -> "jdbc:sqlite:" + dir.resolve("app.db"));
    p.add("jobkit.database", () -> dir.resolve("jobs.db").toString());
    p.add("jobkit.data-directory", () -> dir.resolve("jobkit-data").toString());
  }

  @Autowired TestRestTemplate http;
  @Autowired JobManager jobs;

  @Test
  void aSignUpOverHttpRunsItsWelcome() throws Exception {
    ResponseEntity<String> r = http.postForEntity("/signup/linus", null, String.class);
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(jobs.handle(r.getBody()).orElseThrow().result().get(20, TimeUnit.SECONDS))
        .isEqualTo("Welcome, linus!");
  }

  @Test
  void theHealthEndpointShowsJobkit() throws Exception {
    ResponseEntity<String> r = http.getForEntity("/actuator/health", String.class);
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.OK);
    JsonNode jobkit = new ObjectMapper().readTree(r.getBody()).path("components").path("jobkit");
    assertThat(jobkit.path("status").asText()).isEqualTo("UP");
    assertThat(jobkit.path("details").path("workersAlive").asBoolean()).isTrue();
    assertThat(jobkit.path("details").path("databaseReachable").asBoolean()).isTrue();
  }

  /** jobkit's meters reach Prometheus: the starter binds job-micrometer to the registry. */
  @Test
  void thePrometheusEndpointShowsJobkitsMeters() throws Exception {
    String id = http.postForEntity("/signup/grace", null, String.class).getBody();
    jobs.handle(id).orElseThrow().result().get(20, TimeUnit.SECONDS);
    ResponseEntity<String> r = http.getForEntity("/actuator/prometheus", String.class);
    assertThat(r.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(r.getBody())
        .contains("jvm_memory_used_bytes")
        .containsPattern("jobkit_jobs_dispatched_total\\{[^}]*job=\"spring.welcome\"")
        .containsPattern("jobkit_jobs_finished_total\\{[^}]*outcome=\"completed\"")
        .contains("jobkit_job_duration_seconds");
  }
}
