package dev.jobkit.examples.registry;

import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import java.nio.file.Path;
import java.util.List;

/** A small job used to test the registry's JSON and MessagePack entry points. */
@Job(name = "registry.copy", description = "Copies files (test fixture)")
public class CopyParams implements JobHandler<Integer> {
  public List<Path> sources;
  public Path destination;
  int nextIndex;
  transient StringBuilder scratch = new StringBuilder("fresh");

  @Override
  public Integer run(JobContext ctx) {
    return sources.size();
  }
}
