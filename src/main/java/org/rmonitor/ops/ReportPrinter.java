package org.rmonitor.ops;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the report: each run as soon as it is over, under a {@code HOST name} header printed
 * whenever the host changes from the run before; then the runs that never logged JOB Status,
 * host by host.
 *
 * <p>Why a header on change and not one block per host: a block per host means holding every
 * other host's runs until the input ends, which grows with the file (tens of GB on a
 * collector). Printed as they end, runs of one host stay together in a single host's file or with
 * {@code --host}, and memory stays that of the open runs.
 */
final class ReportPrinter {
  /** The list of unfinished runs at the end names at most this many; the rest are counted. */
  static final int MAX_LISTED = 1000;

  private final PrintStream stdout;
  private final StringBuilder out = new StringBuilder();
  private String host;
  private final Map<String, List<String>> unfinished = new TreeMap<>();
  private int listed;
  private long notListed;

  ReportPrinter(PrintStream stdout) {
    this.stdout = stdout;
  }

  void print(Run run) throws IOException {
    if (!run.key.host().equals(host)) {
      host = run.key.host();
      out.append("HOST " + name(host) + "\n");
    }
    out.append("JOB " + run.job() + " launched " + run.launchedLine() + "\n");
    for (String l : run.head()) out.append(l).append('\n');
    if (run.leftOut() > 0) out.append("... " + run.leftOut() + " lines left out ...\n");
    for (String l : run.tail()) out.append(l).append('\n');
    out.append("  " + run.summary() + "\n\n");
    // Someone may be watching (tail -f | rmonitor report): a run goes out whole, as it ends.
    flush();
    if (!run.finished()) remember(run);
  }

  private void remember(Run run) {
    if (listed == MAX_LISTED) {
      notListed++;
      return;
    }
    listed++;
    String when = run.launchedStamp() != null ? " launched " + run.launchedStamp() : "";
    unfinished.computeIfAbsent(run.key.host(), h -> new ArrayList<>()).add(run.job() + when);
  }

  /** The end: the runs without JOB Status, each on its own host. */
  void finish() throws IOException {
    if (!unfinished.isEmpty()) {
      out.append("Jobs that never logged JOB Status (still running, or the monitor died):\n");
      for (var e : unfinished.entrySet()) {
        for (String run : e.getValue()) out.append("  " + name(e.getKey()) + ": " + run + "\n");
      }
      if (notListed > 0) out.append("  ... and " + notListed + " more, shown above\n");
    }
    flush();
  }

  /** A PrintStream keeps its errors to itself: without asking, a closed pipe would read on to the end. */
  private void flush() throws IOException {
    // Encoded whole: String.getBytes is the fast way for the ASCII that syslog files mostly are.
    stdout.write(out.toString().getBytes(StandardCharsets.UTF_8));
    out.setLength(0);
    stdout.flush();
    if (stdout.checkError()) throw new IOException("cannot write the report (standard output closed or full)");
  }

  /** busybox syslogd -S writes no host name. */
  private static String name(String host) {
    return host.isEmpty() ? "(no host name)" : host;
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
