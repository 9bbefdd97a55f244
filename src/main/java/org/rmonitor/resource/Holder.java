package org.rmonitor.resource;

import java.time.Instant;
import org.rmonitor.proc.ProcStat;

/** A job that holds a resource: its monitor's PID and start time, since when, and its name. */
public record Holder(long pid, long startTicks, Instant since, String job) {
  /** True while that very process (not a later one with its PID) runs. */
  public boolean alive() {
    return ProcStat.of(pid).filter(s -> s.running() && s.startTicks() == startTicks).isPresent();
  }

  @Override
  public String toString() {
    return job + "[" + pid + "]";
  }
}
