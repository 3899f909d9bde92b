package dev.jobkit.examples.tour;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobkit.JobRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/getting-started.md true: its Java blocks are the tour's sources (which the other Tour
 * tests run), its pom uses this repository's coordinates, its quoted messages are real, its CLI
 * lines use real commands and its links resolve.
 */
class TourDocTest {
  /** {@code <!-- tour:File -->} or {@code <!-- tour:File#region -->}, then a fenced block. */
  private static final Pattern MARKED_BLOCK =
      Pattern.compile("<!-- tour:(\\w+)(?:#(\\w+))? -->\\n```(\\w+)\\n(.*?)```", Pattern.DOTALL);

  private static final Pattern BLOCK = Pattern.compile("```(\\w*)\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern REGION =
      Pattern.compile(
          "// tour:start(?: (\\w+))?\\n(.*?)// tour:end(?: (\\w+))?\\n", Pattern.DOTALL);

  /** The CLI's commands (docs/cli.md), which the guide's shell lines may use. */
  private static final Set<String> CLI_COMMANDS =
      Set.of(
          "types", "submit", "list", "status", "logs", "cancel", "pause", "resume", "retry",
          "results", "stats", "cleanup", "storage", "worker", "demo");

  /** Pages the guide links to that other work is still writing. */
  private static final Set<String> PENDING_PAGES = Set.of();

  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("docs/getting-started.md"))) {
      dir = dir.getParent();
    }
    assertNotNull(dir, "docs/getting-started.md above " + Path.of("").toAbsolutePath());
    return dir;
  }

  static String guide() {
    return read(root().resolve("docs/getting-started.md"));
  }

  @Test
  void everyJavaBlockIsATourSourceRegionAndEveryRegionIsShown() {
    String guide = guide();
    Map<String, String> shown = new LinkedHashMap<>();
    Matcher m = MARKED_BLOCK.matcher(guide);
    while (m.find()) {
      assertEquals("java", m.group(3), "marked block " + m.group(1));
      String key = m.group(1) + (m.group(2) == null ? "" : "#" + m.group(2));
      assertFalse(shown.containsKey(key), "shown twice: " + key);
      shown.put(key, m.group(4));
    }
    Map<String, String> regions = regions();
    assertEquals(
        new TreeSet<>(regions.keySet()),
        new TreeSet<>(shown.keySet()),
        "regions in the sources vs. marked blocks in the guide");
    regions.forEach(
        (key, source) ->
            assertEquals(normalize(source), normalize(shown.get(key)), "guide block " + key));

    long javaBlocks = blocks(guide, "java").count();
    assertEquals(shown.size(), javaBlocks, "every java block in the guide carries a tour marker");
  }

  @Test
  void thePomSnippetUsesThisRepositorysCoordinates() {
    String pom = read(root().resolve("pom.xml"));
    String version =
        find(pom, "<artifactId>jobkit-parent</artifactId>\\s*<version>([^<]+)</version>");
    String compilerPlugin =
        find(pom, "<artifactId>maven-compiler-plugin</artifactId>\\s*<version>([^<]+)</version>");
    String slf4j = find(pom, "<slf4j.version>([^<]+)</slf4j.version>");
    String xml = blocks(guide(), "xml").collect(Collectors.joining("\n"));

    Matcher dep =
        Pattern.compile(
                "<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>"
                    + "\\s*<version>([^<]+)</version>")
            .matcher(xml);
    Set<String> artifacts = new TreeSet<>();
    while (dep.find()) {
      if (dep.group(1).equals("dev.jobkit")) {
        artifacts.add(dep.group(2));
        assertEquals(version, dep.group(3), dep.group());
        assertTrue(
            Files.isRegularFile(root().resolve(dep.group(2)).resolve("pom.xml")),
            "a module of this repository: " + dep.group(2));
      } else if (dep.group(1).equals("org.slf4j")) {
        assertEquals(slf4j, dep.group(3), "the SLF4J version the repository uses");
      } else if (dep.group(2).equals("maven-compiler-plugin")) {
        assertEquals(compilerPlugin, dep.group(3), "the plugin version the repository uses");
      }
    }
    assertEquals(Set.of("job-api", "job-processor", "job-runtime"), artifacts);
    assertTrue(xml.contains("<annotationProcessorPaths>"), xml);
  }

  @Test
  void theGeneratedFilesTheGuideNamesExist() throws Exception {
    String guide = guide();
    for (String type :
        List.of("WordCountJob_Codec", "WordCountJob_Registration", "WordCount_Codec")) {
      assertTrue(guide.contains("`" + type + "`"), "guide names " + type);
      Class.forName("dev.jobkit.examples.tour." + type);
    }
    String services = "META-INF/services/dev.jobkit.spi.JobRegistration";
    assertTrue(guide.contains(services), "guide names the services file");
    boolean listed = false;
    for (URL url : Collections.list(WordCountJob.class.getClassLoader().getResources(services))) {
      try (InputStream in = url.openStream()) {
        listed |=
            new String(in.readAllBytes(), UTF_8)
                .lines()
                .anyMatch("dev.jobkit.examples.tour.WordCountJob_Registration"::equals);
      }
    }
    assertTrue(listed, "WordCountJob_Registration listed in a " + services);
    assertTrue(JobRegistry.load().contains("word_count"));
  }

  @Test
  void theCompileErrorIsQuotedFromAuthoringJobs() {
    String authoring = normalize(read(root().resolve("docs/authoring-jobs.md")));
    List<String> quoted = blocks(guide(), "text").filter(b -> b.contains(": error: [Job")).toList();
    assertEquals(1, quoted.size(), "one compile error shown");
    assertTrue(authoring.contains(normalize(quoted.get(0))), quoted.get(0));
  }

  @Test
  void shellLinesUseRealCommandsAndValidJson() {
    JobRegistry registry = JobRegistry.load();
    List<String> lines =
        blocks(guide(), "sh")
            .flatMap(b -> b.replace("\\\n", " ").lines())
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    int cli = 0;
    for (String line : lines) {
      String command = line.replaceAll("\\s+#.*$", "");
      if (command.startsWith("./jobkit ")) {
        cli++;
        String sub =
            Stream.of(command.substring(9).split("\\s+"))
                .filter(w -> !w.startsWith("-") && !w.endsWith(".db"))
                .findFirst()
                .orElse("");
        assertTrue(CLI_COMMANDS.contains(sub), "a CLI command: " + line);
      }
      Matcher json = Pattern.compile("'(\\{.*?\\})'").matcher(command);
      while (json.find()) {
        registry.fromJson("word_count", json.group(1)); // throws if the guide's JSON is wrong
      }
    }
    assertTrue(cli >= 3, "the guide shows the CLI: " + lines);
  }

  @Test
  void linksPointToPagesThatExist() {
    Matcher link = Pattern.compile("\\]\\(([^)#]+\\.md)\\)").matcher(guide());
    List<String> missing = new ArrayList<>();
    int links = 0;
    while (link.find()) {
      links++;
      String target = link.group(1);
      Path page = root().resolve("docs").resolve(target).normalize();
      if (!Files.isRegularFile(page) && !PENDING_PAGES.contains(target)) {
        missing.add(target);
      }
    }
    assertEquals(List.of(), missing);
    assertTrue(links >= 8, "links to the other guides");
  }

  // ---------------------------------------------------------------- helpers

  /** The tour regions of the main sources, keyed {@code File} or {@code File#region}. */
  private static Map<String, String> regions() {
    Path dir = root().resolve("job-examples/src/main/java/dev/jobkit/examples/tour");
    Map<String, String> regions = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString().replace(".java", "");
        Matcher m = REGION.matcher(read(file));
        while (m.find()) {
          assertEquals(m.group(1), m.group(3), "start and end of a region in " + file);
          regions.put(name + (m.group(1) == null ? "" : "#" + m.group(1)), m.group(2));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return regions;
  }

  private static Stream<String> blocks(String markdown, String language) {
    List<String> found = new ArrayList<>();
    Matcher m = BLOCK.matcher(markdown);
    while (m.find()) {
      if (m.group(1).equals(language)) {
        found.add(m.group(2));
      }
    }
    return found.stream();
  }

  /** Drops the common indentation, trailing spaces and blank lines at either end. */
  static String normalize(String text) {
    List<String> lines = text.lines().map(String::stripTrailing).collect(Collectors.toList());
    while (!lines.isEmpty() && lines.get(0).isEmpty()) {
      lines.remove(0);
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    int indent =
        lines.stream()
            .filter(l -> !l.isEmpty())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    return lines.stream()
        .map(l -> l.isEmpty() ? l : l.substring(indent))
        .collect(Collectors.joining("\n"));
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), regex);
    return m.group(1);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
