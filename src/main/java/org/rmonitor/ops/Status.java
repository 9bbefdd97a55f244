package org.rmonitor.ops;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rmonitor.UserError;
import org.rmonitor.cli.Invocation;
import org.rmonitor.cli.Options;
import org.rmonitor.cli.OptionsParser;
import org.rmonitor.job.Preflight;
import org.rmonitor.resource.Holder;
import org.rmonitor.resource.HolderFile;
import org.rmonitor.resource.Liveness;
import org.rmonitor.resource.LockFile;
import org.rmonitor.resource.ProcLiveness;
import org.rmonitor.resource.ResourceConf;

/**
 * {@code rmonitor status}: the running jobs (PID, job, phase, since when, resources) and each
 * resource's state and holders, dead holders flagged. Read-only, and it takes no lock: it may
 * be run while jobs hang on one. A monitor's phase is read off its process tree: a child running
 * {@code R.exit PREP} is PREP of R; its sendmail or notify program, the failure notice; a monitor
 * blocked on a lock file, or listed as a waiter in it (a limit keeps it waiting for its turn),
 * waits for that resource.
 */
public final class Status {
  private static final Pattern LOCK_FILE = Pattern.compile("rmonitor\\.([A-Za-z0-9_-]{7,20})\\.lock");
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private Status() {}

  /** One running monitor, as /proc shows it. */
  private record Monitor(long pid, Instant launched, Options options) {}

  /** A lock file's state as read without its lock, or why it could not be read. */
  private record Read(Path file, String resource, Optional<HolderFile> state, String error) {}

  public static int run(Path lockDir, Options.Defaults defaults, PrintStream out) throws UserError {
    if (!Files.exists(lockDir, LinkOption.NOFOLLOW_LINKS) && lockDir.equals(Options.Defaults.ROOT_LOCK_DIR)) {
      out.println("JOBS\n  none running\nRESOURCES in " + lockDir + "\n  none used yet");
      return 0;
    }
    if (!Files.isDirectory(lockDir)) {
      throw new UserError(UserError.CONFIG, "status: lock directory " + lockDir + ": no such directory");
    }
    List<Monitor> monitors = monitors(defaults);
    Liveness liveness = new ProcLiveness();
    List<Read> reads = lockFiles(lockDir).stream().map(Status::read).toList();
    Map<Long, String> inLine = inLine(reads, liveness);
    out.println("JOBS");
    if (monitors.isEmpty()) out.println("  none running");
    for (Monitor m : monitors) {
      Path script = m.options().script();
      String job = script.getParent().getFileName() + "/" + script.getFileName();
      out.printf(
          "  %-8d %-36s %-22s since %s  %s%n",
          m.pid(), printable(job), phase(m, lockDir, inLine), WHEN.format(LocalDateTime.ofInstant(m.launched(), ZoneId.systemDefault())),
          String.join(",", m.options().resources()));
    }
    out.println("RESOURCES in " + lockDir);
    if (reads.isEmpty()) out.println("  none used yet");
    for (Read r : reads) out.print(describe(r, exitDir(lockDir, r.resource(), monitors, defaults), liveness));
    return 0;
  }

  private static List<Monitor> monitors(Options.Defaults defaults) {
    List<Monitor> found = new ArrayList<>();
    ProcessHandle.allProcesses()
        .forEach(
            p -> {
              List<String> args = List.of(p.info().arguments().orElse(new String[0]));
              // java [JVM flags] org.rmonitor.Main ARGS, where ARGS are those of a job.
              int at = args.indexOf("org.rmonitor.Main");
              if (at < 0) return;
              try {
                Instant launched = p.info().startInstant().orElse(Instant.EPOCH);
                if (OptionsParser.parse(args.subList(at + 1, args.size()), environ(p.pid()), defaults, Preflight::startsWithHashbang)
                    instanceof Invocation.Run run) {
                  found.add(new Monitor(p.pid(), launched, run.options()));
                }
              } catch (UserError | RuntimeException e) {
                // not one of ours after all, or gone meanwhile
              }
            });
    found.sort(java.util.Comparator.comparing(Monitor::launched));
    return found;
  }

  /**
   * The monitors of this host listed as waiters, by PID, with the resource each waits for: a job
   * waiting for its turn holds no lock file open between its looks at the state.
   */
  private static Map<Long, String> inLine(List<Read> reads, Liveness liveness) {
    Map<Long, String> found = new java.util.HashMap<>();
    for (Read r : reads) {
      for (Holder w : r.state().map(HolderFile::waiters).orElse(List.of())) {
        if ((w.host().isEmpty() || w.host().equals(liveness.host())) && liveness.monitorRuns(w)) {
          found.putIfAbsent(w.pid(), r.resource());
        }
      }
    }
    return found;
  }

  /**
   * Where the resource's settings are: the exit directory of a job using this lock file, else
   * the default.
   */
  private static Path exitDir(Path lockDir, String resource, List<Monitor> monitors, Options.Defaults defaults) {
    return monitors.stream()
        .filter(m -> m.options().resources().contains(resource) && m.options().lockDir().equals(lockDir))
        .map(m -> m.options().exitDir())
        .findFirst()
        .orElse(defaults.exitDir());
  }

  /**
   * The monitor's environment, so its options read as it read them (RMONITOR_EXIT_DIR from the
   * crontab, say); empty for another user's monitor, whose /proc/PID/environ only root may read.
   */
  private static Map<String, String> environ(long pid) {
    Map<String, String> env = new java.util.HashMap<>();
    try {
      for (String var : new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8).split("\0")) {
        int eq = var.indexOf('=');
        if (eq > 0) env.put(var.substring(0, eq), var.substring(eq + 1));
      }
    } catch (IOException | RuntimeException e) {
      // not ours to read, or gone
    }
    return env;
  }

  /** What the monitor is doing now: running an exit, the target, or waiting for a resource. */
  private static String phase(Monitor m, Path lockDir, Map<Long, String> inLine) {
    Optional<ProcessHandle> self = ProcessHandle.of(m.pid());
    if (self.isEmpty()) return "ended";
    for (ProcessHandle child : self.get().children().toList()) {
      // "R.exit PREP", or "/bin/sh R.exit PREP" when the kernel ran the exit's #! line.
      List<String> cmd = new ArrayList<>();
      child.info().command().ifPresent(cmd::add);
      cmd.addAll(List.of(child.info().arguments().orElse(new String[0])));
      // After JOB Status: the failure notice on its way (sendmail, or a script run by its #! line).
      for (String word : cmd.subList(0, Math.min(2, cmd.size()))) {
        if (sameFile(word, m.options().notice().sendmailProgram())) return "mailing the notice";
        if (m.options().notice().notifyProgram().filter(n -> sameFile(word, n)).isPresent()) return "notifying";
      }
      for (int i = 0; i + 1 < cmd.size(); i++) {
        String phase = cmd.get(i + 1);
        if (cmd.get(i).endsWith(".exit") && (phase.equals("PREP") || phase.equals("POST"))) {
          String file = cmd.get(i).substring(cmd.get(i).lastIndexOf('/') + 1);
          return phase + " " + file.substring(0, file.length() - ".exit".length());
        }
      }
    }
    if (self.get().children().findAny().isPresent()) return "PROCESSING";
    Optional<String> waited = lockOpen(m.pid(), lockDir).or(() -> Optional.ofNullable(inLine.get(m.pid())));
    return waited.map(r -> "waiting for " + r).orElse("between phases");
  }

  private static boolean sameFile(String word, Path program) {
    try {
      return word.startsWith("/") && Files.isSameFile(Path.of(word), program);
    } catch (IOException | RuntimeException e) {
      return false; // gone meanwhile, or not a path
    }
  }

  /**
   * The resource whose lock file a monitor has open. A monitor with no child and a lock file
   * open is waiting for that lock (it tries it again and again: fcntl's blocking wait cannot be
   * interrupted by a signal), or in the moment of changing the file.
   */
  private static Optional<String> lockOpen(long pid, Path lockDir) {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
      for (Path fd : fds) {
        try {
          Path target = Files.readSymbolicLink(fd);
          Matcher m = LOCK_FILE.matcher(String.valueOf(target.getFileName()));
          if (m.matches() && lockDir.toAbsolutePath().equals(target.getParent())) return Optional.of(m.group(1));
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    } catch (IOException e) {
      // another user's monitor, or gone
    }
    return Optional.empty();
  }

  private static List<Path> lockFiles(Path lockDir) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(lockDir, "rmonitor.*.lock")) {
      for (Path f : ds) if (LOCK_FILE.matcher(f.getFileName().toString()).matches()) files.add(f);
    } catch (IOException e) {
      // an unreadable directory lists nothing
    }
    files.sort(null);
    return files;
  }

  /**
   * A resource's state, read without its lock. The lock directory may be writable by others: the
   * file gets the jobs' own checks and size cap, and every name in it is escaped before it
   * reaches the terminal.
   */
  private static Read read(Path f) {
    Matcher m = LOCK_FILE.matcher(f.getFileName().toString());
    m.matches();
    try {
      return new Read(f, m.group(1), Optional.of(LockFile.peek(f)), "");
    } catch (UserError e) {
      return new Read(f, m.group(1), Optional.empty(), "REFUSED: " + printable(e.getMessage()));
    } catch (IOException e) {
      return new Read(f, m.group(1), Optional.empty(), "unreadable: " + printable(String.valueOf(e.getMessage())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Read(f, m.group(1), Optional.empty(), "unread: interrupted");
    }
  }

  private static String describe(Read r, Path exitDir, Liveness liveness) {
    StringBuilder s = new StringBuilder("  ").append(String.format("%-21s", r.resource()));
    if (r.state().isEmpty()) return s + r.error() + "\n";
    HolderFile state = r.state().get();
    s.append(state.prepared() ? "prepared" : "not prepared");
    s.append(limit(r.resource(), exitDir));
    if (!state.intact()) s.append(" (DAMAGED state: read as prepared)");
    state.exit().ifPresent(e -> s.append(", ").append(e.phase()).append(" exit of ").append(name(e.by())).append(" in progress"));
    if (state.holders().isEmpty()) s.append(", no holders");
    else if (!state.prepared() && state.exit().isEmpty()) s.append(", held (PREP to come) by:"); // turns taken first
    else s.append(", held by:");
    s.append('\n');
    for (Holder h : state.holders()) s.append(job(h, "releasing", liveness)).append('\n');
    if (!state.waiters().isEmpty()) {
      s.append("    waiting for their turn, first first:\n");
      for (Holder w : state.waiters()) s.append(job(w, "leaving the line", liveness)).append('\n');
    }
    return s.toString();
  }

  /** ", limit N" from the resource's settings, if it has one; a file the jobs would refuse says so. */
  private static String limit(String resource, Path exitDir) {
    try {
      return ResourceConf.read(exitDir, resource).limit().stream().mapToObj(n -> ", limit " + n).findFirst().orElse("");
    } catch (UserError e) {
      return ", settings REFUSED: " + printable(e.getMessage());
    }
  }

  /** A holder or waiter: its name and since when, and whether this host still sees it run. */
  private static String job(Holder h, String without, Liveness liveness) {
    StringBuilder s = new StringBuilder("      ").append(name(h)).append(" since ").append(h.since());
    if (!h.host().isEmpty() && !h.host().equals(liveness.host())) {
      s.append(" on host ").append(printable(h.host())).append("  (not judged from here)");
    } else if (!liveness.monitorRuns(h)) {
      List<String> left = liveness.processes(h);
      s.append(
          left.isEmpty()
              ? "  STALE: gone without " + without + "; the next job drops it"
              : "  MONITOR GONE; its job runs on: " + printable(String.join(", ", left)));
    }
    return s.toString();
  }

  private static String name(Holder h) {
    return printable(h.job()) + "[" + h.pid() + "]";
  }

  /**
   * Text read from a file anyone may have written, made safe for a terminal: control characters
   * (an escape sequence could rewrite the screen) shown as {@code \xNN}. Names in lock files are
   * already escaped by the jobs that wrote them, so nothing else is touched.
   */
  static String printable(String text) {
    StringBuilder s = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (c < 0x20 || (c >= 0x7f && c < 0xa0)) s.append(String.format("\\x%02x", c));
      else s.appendCodePoint(c);
    });
    return s.toString();
  }
}
