package org.rmonitor.resource;

/**
 * A PREP or POST exit in progress, recorded before it starts: {@code by} runs it, and once it has
 * started, {@code pid}/{@code startTicks} name the exit itself (0 until then). Exits run under
 * the lock, so whoever finds this record holding the lock knows that its monitor died mid-exit.
 */
public record ExitRun(String phase, long pid, long startTicks, Holder by) {
  public ExitRun started(long exitPid, long exitStart) {
    return new ExitRun(phase, exitPid, exitStart, by);
  }
}
