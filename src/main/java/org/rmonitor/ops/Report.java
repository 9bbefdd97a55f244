package org.rmonitor.ops;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.rmonitor.UserError;
import org.rmonitor.cli.ReportOptions;

/**
 * {@code rmonitor report [--host NAME]... [LOGFILE...]}: the seed's management report, built in,
 * for one host or a collector's file of a fleet. Reads the files as one stream, oldest first
 * ({@code .gz} read as such; standard input when none, or for {@code -}), and prints each run of
 * each job on each host as soon as it is over: its launch, its lines, how long it waited for
 * PREP, how long it ran, its status; then the runs that never logged {@code JOB Status}.
 *
 * <p>A file that cannot be read, is cut short or holds no syslog line is one line on stderr
 * naming it; the other files are still read, and the exit status is the first such error's.
 */
public final class Report {
  /** Exit status when a {@code --host} named a host no line came from, as grep finding nothing. */
  static final int NO_SUCH_HOST = 1;
  /** Host names kept to suggest when a {@code --host} matched none. */
  private static final int SUGGESTED = 20;

  private final Set<String> only;
  private final Set<String> matched = new HashSet<>();
  private final Set<String> hostsSeen = new LinkedHashSet<>();
  private boolean moreHosts;
  private final RunTracker runs;
  private final PrintStream err;
  private int status;

  Report(Set<String> only, Run.Window window, int maxOpen, ReportPrinter printer, PrintStream err) {
    this.only = only;
    this.runs = new RunTracker(window, maxOpen, printer::print);
    this.err = err;
  }

  public static int run(List<String> args, InputStream stdin, PrintStream out, PrintStream err) throws UserError {
    ReportOptions o = ReportOptions.parse(args);
    Set<String> only = o.hosts().stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    ReportPrinter printer = new ReportPrinter(out);
    Report report = new Report(only, Run.Window.DEFAULT, RunTracker.MAX_OPEN, printer, err);
    try {
      for (String f : o.files().isEmpty() ? List.of("-") : o.files()) report.read(f, stdin);
      report.runs.finish();
      printer.finish();
    } catch (IOException e) {
      throw new UserError(UserError.IO_ERR, "report: " + e.getMessage() + "; stopped");
    }
    report.hostsNotSeen(o.hosts());
    return report.status;
  }

  /** Reads one file, or standard input for "-"; an error in it is one line naming it. */
  private void read(String name, InputStream stdin) throws IOException {
    boolean isStdin = name.equals("-");
    String shown = isStdin ? "standard input" : name;
    Path file = isStdin ? null : Path.of(name);
    if (!isStdin && (!Files.isRegularFile(file) || !Files.isReadable(file))) {
      fail(UserError.NO_INPUT, shown + ": no such readable file");
      return;
    }
    InputStream in;
    try {
      in = isStdin ? stdin : Files.newInputStream(file);
    } catch (IOException e) {
      fail(UserError.NO_INPUT, shown + ": cannot open: " + e.getMessage());
      return;
    }
    CappedLineReader lines = null;
    long recognised = 0;
    String firstLine = null;
    try {
      lines = new CappedLineReader(name.endsWith(".gz") ? gunzip(in) : in, CappedLineReader.MAX_LINE);
      for (String raw; (raw = next(lines)) != null; ) {
        SyslogLine l = SyslogLine.parse(raw);
        if (l == null) {
          if (firstLine == null && !raw.isBlank()) firstLine = raw;
          continue;
        }
        recognised++;
        add(l);
      }
    } catch (InputFailure f) {
      IOException e = (IOException) f.getCause();
      // An EOFException may say nothing: GZIPInputStream throws one bare for an empty file.
      String why = e.getMessage() != null ? e.getMessage() : e instanceof EOFException ? "unexpected end of file" : e.toString();
      if (lines == null) {
        fail(UserError.DATA_ERR, shown + ": not a .gz file, or an empty one (" + why + ")");
      } else if (e instanceof EOFException || e instanceof ZipException) {
        fail(UserError.DATA_ERR, shown + ": truncated or corrupt .gz, read up to line " + lines.count() + " (" + why + ")");
      } else {
        fail(UserError.IO_ERR, shown + ": cannot read past line " + lines.count() + ": " + why);
      }
      return;
    } finally {
      // Standard input belongs to the caller; a file's close after reading cannot lose a line.
      if (!isStdin) {
        try {
          in.close();
        } catch (IOException ignored) {
          // everything wanted was read
        }
      }
    }
    if (recognised == 0 && firstLine != null) {
      String quoted = firstLine.length() > 80 ? firstLine.substring(0, 80) + "..." : firstLine;
      fail(
          UserError.DATA_ERR,
          shown + ": no line in a syslog format the report reads (traditional, RFC 3339 or busybox"
              + " syslogd); the first line is '" + quoted + "'");
    }
  }

  /** A failure reading the input, kept apart from one writing the report. */
  private static final class InputFailure extends Exception {
    InputFailure(IOException cause) {
      super(cause);
    }
  }

  private static String next(CappedLineReader lines) throws InputFailure {
    try {
      return lines.next();
    } catch (IOException e) {
      throw new InputFailure(e);
    }
  }

  private static InputStream gunzip(InputStream in) throws InputFailure {
    try {
      return new GZIPInputStream(in, 1 << 16);
    } catch (IOException e) {
      throw new InputFailure(e);
    }
  }

  private void add(SyslogLine l) throws IOException {
    if (hostsSeen.size() < SUGGESTED) hostsSeen.add(l.host());
    else moreHosts |= !hostsSeen.contains(l.host());
    if (!only.isEmpty()) {
      String host = l.host().toLowerCase(Locale.ROOT);
      if (!only.contains(host)) return;
      matched.add(host);
    }
    JobLine j = JobLine.of(l);
    if (j != null) runs.add(j);
  }

  /** A --host that matched no line is most likely misspelt: say which hosts there were. */
  private void hostsNotSeen(List<String> asked) {
    String some =
        hostsSeen.stream().map(h -> h.isEmpty() ? "(no host name)" : h).collect(Collectors.joining(", "))
            + (moreHosts ? ", ..." : "");
    for (String h : asked) {
      if (matched.contains(h.toLowerCase(Locale.ROOT))) continue;
      fail(NO_SUCH_HOST, "no line from host '" + h + "'" + (hostsSeen.isEmpty() ? "" : "; hosts in the input: " + some));
    }
  }

  private void fail(int code, String message) {
    err.println("rmonitor: report: " + message);
    if (status == 0) status = code;
  }
}
