package org.rmonitor.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What /proc/PID/stat says of a process: its state and its start time in clock ticks since boot.
 * A PID alone names nothing for long (PIDs are reused); a PID plus its start time names one process.
 */
public record ProcStat(char state, long startTicks) {
  public static Optional<ProcStat> of(long pid) {
    try {
      return Optional.of(parse(Files.readString(Path.of("/proc/" + pid + "/stat"))));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Parses a stat line; the command name in parentheses may itself hold blanks and ')'. */
  static ProcStat parse(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new ProcStat(f[0].charAt(0), Long.parseLong(f[19]));
  }

  /** A zombie or a dead process is gone: in a container, PID 1 may never reap it. */
  public boolean running() {
    return state != 'Z' && state != 'X' && state != 'x';
  }
}
