package dev.jobkit.examples;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * One item a job could not handle, and why. Jobs list these in their output and carry on with the
 * other items instead of failing as a whole.
 *
 * @param item what failed, such as a file path or a URL
 * @param reason a short human-readable reason, such as {@code "no such file"}
 */
public record Failure(String item, String reason) {

  /** A failure of {@code item} described by the exception {@code e}, in plain words. */
  public static Failure of(Object item, Exception e) {
    return new Failure(String.valueOf(item), reason(e));
  }

  /** A short reason for an exception: {@code "no such file"}, {@code "permission denied"}, ... */
  public static String reason(Exception e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "already exists";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "directory not empty";
    }
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + message;
  }
}
