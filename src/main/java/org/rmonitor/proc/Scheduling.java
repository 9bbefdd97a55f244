package org.rmonitor.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.rmonitor.os.Native;

/**
 * The monitor's threads run under SCHED_BATCH (sched(7)); the processes it starts run under the
 * policy it was started with.
 *
 * <p>Why: a chatty job's lines go to syslogd through a socket whose queue holds ten datagrams
 * (net.unix.max_dgram_qlen). The sending thread waits for room, and each datagram the daemon
 * takes wakes it. A woken SCHED_OTHER thread preempts the one running; where the scheduler has
 * put the sender on the CPU of the daemon's input thread, that is two context switches per line,
 * and the daemon reads at half speed or less. A SCHED_BATCH thread does not preempt on wakeup, so
 * the daemon reads until its queue is empty, and the sender then fills it again. Nothing in a
 * monitor needs a wakeup within a scheduler slice (a few ms); its nice value stays as it was.
 *
 * <p>The job must not inherit it: a child takes the policy of the thread that forked it, and
 * {@code ProcessBuilder.start} forks in the calling thread, which for a virtual thread is a
 * carrier shared with the rest of the monitor. So each child is started from a platform thread
 * of its own that first goes back to SCHED_OTHER. A monitor started under any other policy
 * (chrt -b, -i) changes nothing, for itself or its children.
 */
public final class Scheduling {
  private static volatile boolean batch;

  private Scheduling() {}

  /**
   * Puts every thread of this process under SCHED_BATCH, if it runs under SCHED_OTHER; threads
   * started later inherit it. Where that is refused (a seccomp filter), the monitor runs as it
   * was: a matter of speed, never of what it does.
   */
  public static void batch() {
    try {
      if (Native.schedPolicy(0) != Native.SCHED_OTHER) return;
      Native.setSchedPolicy(0, Native.SCHED_BATCH);
    } catch (Native.ErrnoException e) {
      return;
    }
    batch = true;
    for (long tid : threads()) {
      try {
        Native.setSchedPolicy(tid, Native.SCHED_BATCH);
      } catch (Native.ErrnoException e) {
        // the thread has ended since it was listed (ESRCH)
      }
    }
  }

  private static List<Long> threads() {
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      return tasks.map(t -> Long.parseLong(t.getFileName().toString())).toList();
    } catch (IOException | NumberFormatException e) {
      return List.of(); // the threads started later still inherit it from this one
    }
  }

  /**
   * {@code pb.start()}, forked from a thread under SCHED_OTHER. It always waits for that thread,
   * even when interrupted (the interrupt is kept): a child started must never go untracked.
   */
  public static Process start(ProcessBuilder pb) throws IOException {
    if (!batch) return pb.start();
    var outcome = new Object() {
      Process process;
      IOException failure;
      RuntimeException bug;
    };
    Thread starter = Thread.ofPlatform().name("start " + pb.command().getFirst()).unstarted(() -> {
      try {
        Native.setSchedPolicy(0, Native.SCHED_OTHER);
        outcome.process = pb.start();
      } catch (IOException e) {
        outcome.failure = e;
      } catch (RuntimeException e) {
        outcome.bug = e;
      }
    });
    starter.start();
    Uninterruptibly.join(List.of(starter));
    if (outcome.failure != null) throw outcome.failure;
    if (outcome.bug != null) throw outcome.bug;
    return outcome.process;
  }
}
