package dev.jobkit.runtime.internal.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jobkit.Progress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressJsonTest {
  @Test
  void writesEachKind() {
    assertEquals(
        "{\"kind\":\"PERCENT\",\"percent\":12.5}", ProgressJson.write(Progress.percent(12.5)));
    assertEquals(
        "{\"kind\":\"COUNT\",\"percent\":50.0,\"done\":2,\"total\":4,\"unit\":\"files\"}",
        ProgressJson.write(Progress.count(2, 4, "files")));
    assertEquals(
        "{\"kind\":\"INDETERMINATE\",\"message\":\"say \\\"hi\\\"\\n\"}",
        ProgressJson.write(Progress.indeterminate("say \"hi\"\n")));
    assertEquals(
        "{\"kind\":\"STRUCTURED\",\"details\":{\"a\":1,\"b\":\"x\",\"c\":true}}",
        ProgressJson.write(Progress.structured(Map.of("a", 1)).with("b", "x").with("c", true)));
  }
}
