package dev.jobkit.examples.files;

import java.nio.file.Path;

/**
 * One file that {@link FileCopyJob} copies.
 *
 * @param source the file to read
 * @param target where its copy goes
 * @param size its size in bytes when the copy was planned
 */
public record CopyItem(Path source, Path target, long size) {}
