package org.rmonitor.job;

/**
 * The job's status: the target's if non-zero, else the first failed PREP or POST exit's, else
 * 128+N when signal N stopped the job before its target could fail, else 0.
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

  public void signal(int number) {
    if (signal == 0) signal = number;
  }

  public int value() {
    if (target != 0) return target;
    if (firstExit != 0) return firstExit;
    return signal != 0 ? 128 + signal : 0;
  }
}
