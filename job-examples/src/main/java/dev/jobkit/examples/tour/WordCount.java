package dev.jobkit.examples.tour;

// The output of WordCountJob, shown in docs/getting-started.md between the tour markers.

// tour:start
public record WordCount(int files, long lines, long words) {}
// tour:end
