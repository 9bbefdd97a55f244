package org.rmonitor.job;

/**
 * The job's status: the target's if non-zero, else the first failed PREP or POST exit's, else 0.
 * A job that signal N stopped before its target ran has no target status; it ends with 128+N, not
 * with a 0 that would read as "backed up".
 */
public final class JobStatus {
  private int target;
  private int firstExit;
  private int signal;

  public void target(int status) {
    target = status;
  }

  public void exit(int status) {
    if (firstExit == 0) firstExit = status;
  }

  /** Signal {@code number} stopped the job before its target ran. */
  public void stoppedBeforeTarget(int number) {
    if (signal == 0) signal = number;
  }

  public int value() {
    if (target != 0) return target;
    if (firstExit != 0) return firstExit;
    return signal != 0 ? 128 + signal : 0;
  }
}
