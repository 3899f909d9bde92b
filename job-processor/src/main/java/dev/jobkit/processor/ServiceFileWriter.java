package dev.jobkit.processor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.Filer;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/** Writes {@code META-INF/services/dev.jobkit.spi.JobRegistration}, merged and sorted. */
final class ServiceFileWriter {
  private ServiceFileWriter() {}

  static void write(Filer filer, Set<String> registrations) throws IOException {
    Set<String> all = new TreeSet<>(registrations);
    try {
      FileObject existing =
          filer.getResource(StandardLocation.CLASS_OUTPUT, "", GeneratedNames.SERVICE_FILE);
      try (BufferedReader r =
          new BufferedReader(
              new InputStreamReader(existing.openInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          int hash = line.indexOf('#');
          String entry = (hash >= 0 ? line.substring(0, hash) : line).trim();
          if (!entry.isEmpty()) {
            all.add(entry);
          }
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      // No earlier file (the normal case for a clean build).
    }
    FileObject out =
        filer.createResource(StandardLocation.CLASS_OUTPUT, "", GeneratedNames.SERVICE_FILE);
    try (Writer w = new OutputStreamWriter(out.openOutputStream(), StandardCharsets.UTF_8)) {
      for (String entry : all) {
        w.write(entry);
        w.write('\n');
      }
    }
  }
}
