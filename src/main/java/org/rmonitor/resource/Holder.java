package org.rmonitor.resource;

import java.time.Instant;

/**
 * A job that holds a resource: its monitor's PID and start time (clock ticks since boot), since
 * when, the host and boot it runs on, and its name. The monitor is its session's leader, so the
 * PID is also the session id of every process the job started.
 */
public record Holder(long pid, long startTicks, Instant since, String host, String boot, String job) {
  /** The same monitor, whatever else differs. */
  public boolean is(Holder other) {
    return pid == other.pid && startTicks == other.startTicks && host.equals(other.host);
  }

  /** The same job, recorded as of {@code when}: a waiter's record says when it asked. */
  public Holder at(Instant when) {
    return new Holder(pid, startTicks, when, host, boot, job);
  }

  @Override
  public String toString() {
    return job + "[" + pid + "]";
  }
}
