package dev.jobkit.cli;

import dev.jobkit.runtime.DispatchOptions;
import dev.jobkit.runtime.JobHandle;
import dev.jobkit.runtime.JobManager;
import dev.jobkit.runtime.TemplateException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code jobkit submit --template NAME [--set field=value ...]} (issue #12). */
final class TemplateSubmit {
  private TemplateSubmit() {}

  /**
   * Checks that the command line names either a job type or a template, and returns the sets by
   * field path, in their order (a later set of the same path wins).
   *
   * @throws CliException USAGE for a missing or doubled choice, or a set without {@code =}
   */
  static Map<String, String> check(
      String name, String template, boolean hasJson, List<String> sets) {
    if (template == null) {
      if (name == null) {
        throw new CliException(
            ExitCodes.USAGE,
            "missing the job's NAME: jobkit submit NAME --json PARAMS, or jobkit submit --template"
                + " TEMPLATE");
      }
      if (!sets.isEmpty()) {
        throw new CliException(
            ExitCodes.USAGE,
            "--set needs --template; with a job NAME, give every parameter in --json");
      }
      return Map.of();
    }
    if (name != null || hasJson) {
      throw new CliException(
          ExitCodes.USAGE,
          "--template "
              + template
              + " gives the job type and its parameters: leave out "
              + (name != null ? "NAME ('" + name + "')" : "--json/--json-file")
              + " and change fields with --set field=value");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String s : sets) {
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw new CliException(
            ExitCodes.USAGE,
            "--set '" + s + "': expected FIELD=VALUE, such as count=3 or target.host=db1");
      }
      out.remove(s.substring(0, eq).strip());
      out.put(s.substring(0, eq).strip(), s.substring(eq + 1));
    }
    return out;
  }

  /**
   * Dispatches the template, turning its errors into exit codes. With {@code --tenant}, only a
   * template of that tenant (#14 tenants: another tenant's is not found).
   */
  static JobHandle<?> dispatch(
      Jobkit jobkit,
      JobManager jobs,
      String template,
      Map<String, String> sets,
      DispatchOptions options) {
    if (jobkit.tenant().isPresent()) {
      TemplatesCommand.find(jobkit, jobs, template);
    }
    try {
      return jobs.templates().dispatch(template, sets, options);
    } catch (TemplateException e) {
      throw TemplatesCommand.toCli(e);
    }
  }
}
