package org.rmonitor.proc;

import java.util.List;
import java.util.function.Consumer;
import org.rmonitor.os.Native;

/**
 * A job's background and double-forked processes outlive its script. With the monitor as their
 * child sub-reaper they become its children when orphaned, and the job is not over until they
 * have ended: this waits for each and reaps it (the JDK reaps only the children it started).
 */
public final class Orphans {
  private Orphans() {}

  /** Waits until the monitor has no children left; tells {@code notice} of each first sight. */
  public static void awaitAll(Consumer<List<ProcessHandle>> notice) throws InterruptedException {
    boolean told = false;
    while (true) {
      List<ProcessHandle> left = ProcessHandle.current().children().toList();
      if (left.isEmpty()) return;
      List<ProcessHandle> running =
          left.stream().filter(p -> ProcStat.of(p.pid()).filter(ProcStat::running).isPresent()).toList();
      if (!told && !running.isEmpty()) {
        notice.accept(running);
        told = true;
      }
      for (ProcessHandle p : left) {
        try {
          p.onExit().get();
        } catch (java.util.concurrent.ExecutionException e) {
          // cannot happen for onExit; fall through to the reap
        }
        try {
          Native.reap(p.pid());
        } catch (Native.ErrnoException e) {
          throw new IllegalStateException(e.getMessage(), e);
        }
      }
    }
  }

  /** One process as an administrator would want it named: PID and command. */
  public static String describe(ProcessHandle p) {
    return p.pid() + " (" + p.info().command().map(c -> c.substring(c.lastIndexOf('/') + 1)).orElse("?") + ")";
  }
}
