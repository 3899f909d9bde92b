package dev.jobkit.examples.codec;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.Upgrade;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A version-3 job with a list output. */
@Job(name = "codec.versioned", version = 3, timeout = "PT30M", maxAttempts = 5)
public class VersionedJob implements JobHandler<List<String>> {
  public List<Path> sources;
  public Path destination;
  int nextIndex;

  @Upgrade(from = 1)
  static void renameSource(Map<String, Object> state) {
    state.put("sources", List.of(state.remove("source")));
  }

  @Upgrade(from = 2)
  static void addIndex(Map<String, Object> state) {
    state.putIfAbsent("nextIndex", 0L);
  }

  @Override
  public List<String> run(JobContext ctx) {
    return List.of();
  }
}
