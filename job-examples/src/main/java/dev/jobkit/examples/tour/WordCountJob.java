package dev.jobkit.examples.tour;

// The job of docs/getting-started.md. The lines between the tour markers are shown in that guide;
// TourDocTest fails if the two differ.

// tour:start
import dev.jobkit.Job;
import dev.jobkit.JobContext;
import dev.jobkit.JobHandler;
import dev.jobkit.Progress;
import dev.jobkit.State;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

@Job(name = "word_count", description = "Counts the lines and words of text files")
public class WordCountJob implements JobHandler<WordCount> {
  public List<Path> files = List.of(); // parameters: from JSON, or set before dispatch
  public long throttleMillis; // wait after each file, to watch it (or kill it)

  @State int done; // progress: saved by each checkpoint
  @State long lines;
  @State long words;

  @Override
  public WordCount run(JobContext ctx) throws Exception {
    if (ctx.isResumed()) {
      ctx.log("Resumed from checkpoint at file " + (done + 1) + " of " + files.size());
    }
    while (done < files.size()) {
      ctx.checkInterrupt(); // cancel, pause, timeout and shutdown stop here
      for (String line : Files.readAllLines(files.get(done))) {
        lines++;
        words += line.isBlank() ? 0 : line.strip().split("\\s+").length;
      }
      done++;
      ctx.checkpoint(); // a restart continues with the next file
      ctx.progress(Progress.count(done, files.size(), "files"));
      Thread.sleep(throttleMillis);
    }
    return new WordCount(files.size(), lines, words);
  }
}
// tour:end
