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
import org.rmonitor.log.Escaper;
import org.rmonitor.resource.HolderFile;
import org.rmonitor.resource.Liveness;
import org.rmonitor.resource.LockFile;
import org.rmonitor.resource.ProcLiveness;

/**
 * {@code rmonitor status}: the running jobs (PID, job, phase, since when, resources) and each
 * resource's state and holders, dead holders flagged. Read-only, and it takes no lock: it may
 * be run while jobs hang on one. A monitor's phase is read off its process tree: a child running
 * {@code R.exit PREP} is PREP of R; a monitor blocked on a lock file waits for that resource.
 */
public final class Status {
  private static final String MONITOR_FLAG = "--monitor=";
  private static final Pattern LOCK_FILE = Pattern.compile("rmonitor\\.([A-Za-z0-9_-]{7,20})\\.lock");
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private Status() {}

  /** One running monitor, as /proc shows it. */
  private record Monitor(long pid, Instant launched, Options options) {}

  public static int run(Path lockDir, Options.Defaults defaults, PrintStream out) throws UserError {
    if (!Files.exists(lockDir, LinkOption.NOFOLLOW_LINKS) && lockDir.equals(Options.Defaults.ROOT_LOCK_DIR)) {
      out.println("JOBS\n  none running\nRESOURCES in " + lockDir + "\n  none used yet");
      return 0;
    }
    if (!Files.isDirectory(lockDir)) {
      throw new UserError(UserError.CONFIG, "status: lock directory " + lockDir + ": no such directory");
    }
    List<Monitor> monitors = monitors(defaults);
    out.println("JOBS");
    if (monitors.isEmpty()) out.println("  none running");
    for (Monitor m : monitors) {
      Path script = m.options().script();
      String job = script.getParent().getFileName() + "/" + script.getFileName();
      out.printf(
          "  %-8d %-36s %-22s since %s  %s%n",
          m.pid(), Escaper.escape(job), phase(m, lockDir), WHEN.format(LocalDateTime.ofInstant(m.launched(), ZoneId.systemDefault())),
          String.join(",", m.options().resources()));
    }
    out.println("RESOURCES in " + lockDir);
    List<Path> files = lockFiles(lockDir);
    if (files.isEmpty()) out.println("  none used yet");
    Liveness liveness = new ProcLiveness();
    for (Path f : files) out.print(describe(f, liveness));
    return 0;
  }

  private static List<Monitor> monitors(Options.Defaults defaults) {
    List<Monitor> found = new ArrayList<>();
    ProcessHandle.allProcesses()
        .forEach(
            p -> {
              List<String> args = List.of(p.info().arguments().orElse(new String[0]));
              int at = -1;
              for (int i = 0; i < args.size(); i++) {
                if (args.get(i).startsWith(MONITOR_FLAG) && i > 0 && args.get(i - 1).equals("org.rmonitor.Main")) at = i;
              }
              if (at < 0) return;
              try {
                Instant launched = Instant.ofEpochMilli(Long.parseLong(args.get(at).substring(MONITOR_FLAG.length())));
                if (OptionsParser.parse(args.subList(at + 1, args.size()), Map.of(), defaults, Preflight::startsWithHashbang)
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

  /** What the monitor is doing now: running an exit, the target, or waiting for a lock. */
  private static String phase(Monitor m, Path lockDir) {
    Optional<ProcessHandle> self = ProcessHandle.of(m.pid());
    if (self.isEmpty()) return "ended";
    for (ProcessHandle child : self.get().children().toList()) {
      // "R.exit PREP", or "/bin/sh R.exit PREP" when the kernel ran the exit's #! line.
      List<String> cmd = new ArrayList<>();
      child.info().command().ifPresent(cmd::add);
      cmd.addAll(List.of(child.info().arguments().orElse(new String[0])));
      for (int i = 0; i + 1 < cmd.size(); i++) {
        String phase = cmd.get(i + 1);
        if (cmd.get(i).endsWith(".exit") && (phase.equals("PREP") || phase.equals("POST"))) {
          String file = cmd.get(i).substring(cmd.get(i).lastIndexOf('/') + 1);
          return phase + " " + file.substring(0, file.length() - ".exit".length());
        }
      }
    }
    if (self.get().children().findAny().isPresent()) return "PROCESSING";
    return lockOpen(m.pid(), lockDir).map(r -> "waiting for " + r).orElse("between phases");
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
  private static String describe(Path f, Liveness liveness) {
    Matcher m = LOCK_FILE.matcher(f.getFileName().toString());
    m.matches();
    StringBuilder s = new StringBuilder("  ").append(String.format("%-21s", m.group(1)));
    HolderFile state;
    try {
      state = LockFile.peek(f);
    } catch (UserError e) {
      return s + "REFUSED: " + Escaper.escape(e.getMessage()) + "\n";
    } catch (IOException e) {
      return s + "unreadable: " + Escaper.escape(String.valueOf(e.getMessage())) + "\n";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return s + "unread: interrupted\n";
    }
    s.append(state.prepared() ? "prepared" : "not prepared");
    if (!state.intact()) s.append(" (DAMAGED state: read as prepared)");
    state.exit().ifPresent(e -> s.append(", ").append(e.phase()).append(" exit of ").append(name(e.by())).append(" in progress"));
    if (state.holders().isEmpty()) return s.append(", no holders\n").toString();
    s.append(", held by:\n");
    for (Holder h : state.holders()) {
      s.append("      ").append(name(h)).append(" since ").append(h.since());
      if (!h.host().isEmpty() && !h.host().equals(liveness.host())) {
        s.append(" on host ").append(Escaper.escape(h.host())).append("  (not judged from here)");
      } else if (!liveness.monitorRuns(h)) {
        List<String> left = liveness.processes(h);
        s.append(
            left.isEmpty()
                ? "  STALE: gone without releasing; the next job drops it"
                : "  MONITOR GONE; its job runs on: " + Escaper.escape(String.join(", ", left)));
      }
      s.append('\n');
    }
    return s.toString();
  }

  private static String name(Holder h) {
    return Escaper.escape(h.job()) + "[" + h.pid() + "]";
  }
}
