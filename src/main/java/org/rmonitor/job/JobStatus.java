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
  private Throwable failure;

  /** EX_SOFTWARE: a bug in rmonitor. */
  static final int SOFTWARE = 70;

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

  /**
   * rmonitor itself failed (a bug, or the machine refused it): EX_SOFTWARE unless a status is
   * already known. The first failure is kept, later ones attached to it.
   */
  public void failure(Throwable t) {
    if (failure == null) failure = t;
    else if (failure != t) failure.addSuppressed(t);
  }

  public java.util.Optional<Throwable> failure() {
    return java.util.Optional.ofNullable(failure);
  }

  public int value() {
    if (failure != null && target == 0 && firstExit == 0) return SOFTWARE;
    if (target != 0) return target;
    if (firstExit != 0) return firstExit;
    return signal != 0 ? 128 + signal : 0;
  }
}
