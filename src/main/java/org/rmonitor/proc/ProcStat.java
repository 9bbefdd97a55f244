package org.rmonitor.proc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What /proc/PID/stat says of a process: its state, its session and its start time in clock
 * ticks since boot. A PID alone names nothing for long (PIDs are reused); a PID plus its start
 * time names one process.
 */
public record ProcStat(long pid, char state, long session, long startTicks) {
  public static Optional<ProcStat> of(long pid) {
    try {
      return Optional.of(parse(pid, Files.readString(Path.of("/proc/" + pid + "/stat"))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Parses a stat line. */
  static ProcStat parse(long pid, String stat) {
    String[] f = fields(stat);
    return new ProcStat(pid, f[0].charAt(0), Long.parseLong(f[3]), Long.parseLong(f[19]));
  }

  /**
   * The fields of a stat line after the command name, from field 3 (state) on: field N of
   * proc(5) is at index N - 3. The name in parentheses may itself hold blanks and ')'.
   */
  public static String[] fields(String stat) {
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
  }

  /** A zombie or a dead process is gone: in a container, PID 1 may never reap it. */
  public boolean running() {
    return state != 'Z' && state != 'X' && state != 'x';
  }

  /** True while that very process (not a later one with its PID) runs. */
  public static boolean running(long pid, long startTicks) {
    return of(pid).filter(s -> s.running() && s.startTicks() == startTicks).isPresent();
  }

  /**
   * The running processes of session {@code sid} that started no earlier than {@code since}: a
   * session id outlives its leader, and a later session that reuses the PID started later:
   * a process older than the leader belongs to someone else.
   */
  public static List<ProcStat> session(long sid, long since) {
    List<ProcStat> found = new ArrayList<>();
    try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), p -> isPid(p.getFileName().toString()))) {
      for (Path p : proc) {
        of(Long.parseLong(p.getFileName().toString()))
            .filter(s -> s.session() == sid && s.startTicks() >= since && s.running())
            .ifPresent(found::add);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("reading /proc", e);
    }
    return found;
  }

  private static boolean isPid(String name) {
    if (name.isEmpty()) return false;
    for (int i = 0; i < name.length(); i++) if (!Character.isDigit(name.charAt(i))) return false;
    return true;
  }

  /** PID and command, as an administrator wants a process named. */
  public String describe() {
    String comm;
    try {
      // A command name is chosen by whoever started the process: no control bytes pass.
      comm = Files.readString(Path.of("/proc/" + pid + "/comm")).strip().replaceAll("[^\\x20-\\x7e]", "?");
    } catch (IOException e) {
      comm = "?";
    }
    return pid + " (" + comm + ")";
  }
}
