package dev.jobkit.examples.codec;

import java.util.List;

/** An output record. */
public record Summary(int count, List<String> names) {}
