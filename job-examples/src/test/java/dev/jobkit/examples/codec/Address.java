package dev.jobkit.examples.codec;

import java.util.List;

/** A nested record. */
public record Address(String street, int number, List<String> lines) {}
