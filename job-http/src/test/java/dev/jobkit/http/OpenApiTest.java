package dev.jobkit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.http.internal.Router;
import dev.jobkit.http.internal.Routes;
import dev.jobkit.runtime.JobManager;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document lists exactly the router's routes, and each job type's schema. */
class OpenApiTest {
  @TempDir Path dir;

  @Test
  @SuppressWarnings("unchecked")
  void everyRouteIsDocumentedAndEveryDocumentedRouteExists() {
    try (JobManager jobs = JobManager.builder().database(dir.resolve("j.db")).noWorkers().open();
        JobkitServer server = JobkitServer.builder(jobs).port(0).basePath("/jk").start()) {
      Api api = new Api(server.uri());
      HttpResponse<String> r = api.get("api/v1/openapi.json");
      assertEquals(200, r.statusCode(), r.body());
      Map<String, Object> doc = J.obj(r.body());
      assertEquals("3.1.0", doc.get("openapi"));
      assertEquals("/jk", J.get(doc, "servers.0.url"));

      Set<String> documented = new TreeSet<>();
      ((Map<String, Object>) doc.get("paths"))
          .forEach(
              (path, ops) ->
                  ((Map<String, Object>) ops)
                      .keySet()
                      .forEach(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + path)));
      Set<String> routed = new TreeSet<>();
      for (Router.Route route : Routes.all(jobs).routes()) {
        routed.add(route.method() + " " + route.pattern());
      }
      assertEquals(routed, documented);

      // every documented path answers something other than 404/405 for its method
      for (String op : documented) {
        String method = op.substring(0, op.indexOf(' '));
        String path = op.substring(op.indexOf(' ') + 1).replaceAll("\\{[^}]+}", "x");
        if (path.contains("/stream")) {
          continue; // an endless stream; tested by StreamTest
        }
        var req =
            api.request(path.substring(1))
                .method(method, java.net.http.HttpRequest.BodyPublishers.ofString("{}"));
        int status = api.send(req.build()).statusCode();
        assertTrue(status != 405, op + " -> " + status);
        if (!path.contains("/x")) {
          assertTrue(status != 404, op + " -> " + status);
        }
      }

      Object params = J.get(doc, "components.schemas");
      assertNotNull(((Map<String, Object>) params).get("http.echoParams"), r.body());
      List<?> oneOf = (List<?>) J.get(doc, "components.schemas.SubmitRequest.oneOf");
      assertEquals(jobs.jobTypes().size() + 1, oneOf.size(), "each type, and a template");
      assertEquals(
          "#/components/schemas/SubmitRequest",
          J.get(doc, "paths./api/v1/jobs.post.requestBody.content.application/json.schema.$ref"));
    }
  }
}
