package org.rmonitor.ops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.rmonitor.UserError;

/**
 * {@code rmonitor report [LOGFILE...]}: the seed's management report, built in. For each job
 * launched in the logs (oldest file first; {@code .gz} read as such; stdin when none): its
 * launch, its lines, how long it waited for PREP, how long it ran, and its status; then the jobs
 * that never logged {@code JOB Status}, still running or with a monitor that died.
 */
public final class Report {
  /** One run of one job, as its lines tell it. */
  private static final class Run {
    final String job;
    final List<SyslogLine> lines = new ArrayList<>();
    SyslogLine launched;
    LocalDateTime begins;
    LocalDateTime processing;
    LocalDateTime processed;
    String status;

    Run(String job) {
      this.job = job;
    }
  }

  private final List<Run> runs = new ArrayList<>();
  private final Map<String, Run> current = new HashMap<>();

  private Report() {}

  public static int run(List<String> files, InputStream stdin, PrintStream out) throws UserError {
    Report report = new Report();
    try {
      if (files.isEmpty()) {
        report.read(stdin);
      } else {
        for (String f : files) report.read(open(Path.of(f)));
      }
    } catch (IOException e) {
      throw new UserError(UserError.NO_INPUT, "report: " + e.getMessage());
    }
    report.print(out);
    return 0;
  }

  private static InputStream open(Path file) throws UserError, IOException {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new UserError(UserError.NO_INPUT, "report: " + file + ": no such readable file");
    }
    InputStream in = Files.newInputStream(file);
    return file.toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
  }

  private void read(InputStream in) throws IOException {
    var decoder =
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, decoder))) {
      for (String line; (line = r.readLine()) != null; ) SyslogLine.parse(line).ifPresent(this::add);
    }
  }

  /** Lines only rmonitor writes: they make a job of a tag whose launch is in an older log. */
  private static final java.util.regex.Pattern LIFECYCLE =
      java.util.regex.Pattern.compile("JOB Begins|JOB Status -?\\d+|PROCESSING (Begins|Status -?\\d+)|(PREP|POST) \\S+: EXIT .*");

  private void add(SyslogLine l) {
    Run run = current.get(l.job());
    // Other programs log as NAME[PID] too (sshd[999]): a tag is a job only once rmonitor said so.
    if (run == null && !l.launched() && !l.longForm() && !LIFECYCLE.matcher(l.message()).matches()) return;
    // A PID is reused in time: a new launch of the same name and PID is a new run.
    if (run == null || (l.launched() && (run.launched != null || run.status != null))) {
      run = new Run(l.job());
      runs.add(run);
      current.put(l.job(), run);
    }
    run.lines.add(l);
    String m = l.message();
    if (l.launched()) run.launched = l;
    else if (m.equals("JOB Begins")) run.begins = l.time();
    else if (m.equals("PROCESSING Begins")) run.processing = l.time();
    else if (m.matches("PROCESSING Status -?\\d+")) run.processed = l.time();
    else if (m.matches("JOB Status -?\\d+")) run.status = m.substring("JOB Status ".length());
  }

  private void print(PrintStream out) {
    List<Run> unfinished = new ArrayList<>();
    for (Run run : runs) {
      String when = run.launched != null ? run.launched.stamp() : run.lines.getFirst().stamp() + " (launch not in these logs)";
      out.println("JOB " + run.job + " launched " + when);
      for (SyslogLine l : run.lines) out.println(l.raw());
      List<String> summary = new ArrayList<>();
      if (run.begins != null && run.processing != null) {
        summary.add("waited " + human(Duration.between(run.begins, run.processing)) + " for PREP");
      }
      if (run.processing != null && run.processed != null) {
        summary.add("ran " + human(Duration.between(run.processing, run.processed)));
      }
      if (run.status != null) {
        summary.add("JOB Status " + run.status);
      } else {
        summary.add("no JOB Status: still running, or its monitor died");
        unfinished.add(run);
      }
      out.println("  " + String.join(", ", summary));
      out.println();
    }
    if (!unfinished.isEmpty()) {
      out.println("Jobs that never logged JOB Status (still running, or the monitor died):");
      for (Run run : unfinished) {
        out.println("  " + run.job + (run.launched != null ? " launched " + run.launched.stamp() : ""));
      }
    }
  }

  /** 13m54s, 2h05m, 17s: as an administrator reads durations. A year wrap counts forward. */
  static String human(Duration d) {
    if (d.isNegative()) d = d.plusDays(365);
    long s = d.toSeconds();
    if (s < 60) return s + "s";
    if (s < 3600) return (s / 60) + "m" + String.format("%02d", s % 60) + "s";
    return (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
  }
}
