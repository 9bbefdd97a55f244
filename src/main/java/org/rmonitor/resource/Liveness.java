package org.rmonitor.resource;

import java.util.List;

/** What this host can tell of the jobs and exits recorded in a lock file. */
public interface Liveness {
  /** This host's name, as holders record it. */
  String host();

  /** This boot of this host (/proc/sys/kernel/random/boot_id): PIDs of another boot name nothing. */
  String boot();

  /** The holder's monitor itself runs (not a later process with its PID). */
  boolean monitorRuns(Holder h);

  /**
   * The processes the holder's job still runs, described for a log line: its session's members
   * started no earlier than its monitor. Empty when the job is over.
   */
  List<String> processes(Holder h);

  /** The recorded process (an exit) still runs. */
  boolean runs(long pid, long startTicks);
}
