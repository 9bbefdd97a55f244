package org.rmonitor.proc;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import sun.misc.Signal;
import org.rmonitor.os.Native;

/**
 * Makes the monitor's PID the one to kill: it catches TERM, HUP and INT, and relays the same
 * signal to every process of the job (its descendants, orphans it reaps included). Whatever has
 * not ended a grace period later gets SIGKILL.
 */
public final class SignalRelay implements ProcessRunner.Starter {
  private static final List<String> CAUGHT = List.of("TERM", "HUP", "INT");

  private final Duration grace;
  private final Consumer<String> log;
  private volatile boolean relaying = true;
  private volatile int received;
  private volatile boolean any;
  private boolean graceStarted;

  public SignalRelay(Duration grace, Consumer<String> log) {
    this.grace = grace;
    this.log = log;
  }

  /** Catches the signals; before that, undoes an inherited SIG_IGN that would hide them. */
  public void install() {
    for (String name : CAUGHT) {
      Signal signal = new Signal(name);
      try {
        Native.defaultAction(signal.getNumber());
      } catch (Native.ErrnoException e) {
        log.accept("WARNING SIG" + name + " may stay ignored: " + e.getMessage());
      }
      Signal.handle(signal, this::onSignal);
    }
  }

  /** During POST a signal is logged and not relayed: cleanup must run to its end. */
  public synchronized void relaying(boolean on) {
    relaying = on;
  }

  /** The first signal that stopped the job (one received during POST stops nothing), or 0. */
  public int received() {
    return received;
  }

  /** Any signal since the monitor began, POST included: it ends every wait. */
  public boolean anyReceived() {
    return any;
  }

  /**
   * Relays first, logs after: a log destination that stalls must never delay the relay, and the
   * relay holds no lock that logging needs.
   */
  private void onSignal(Signal signal) {
    any = true;
    if (!relaying) {
      log.accept("SIGNAL " + signal.getName() + " received during POST; not relayed");
      return;
    }
    stop(signal.getNumber());
    log.accept("SIGNAL " + signal.getName() + " received; relaying it to the job's processes");
  }

  /**
   * Starts a child under the same lock as {@link #stop}: a stop that came first is sent to the
   * child at once, so no signal falls into the gap between a "stopped?" check and the start.
   */
  @Override
  public synchronized Process start(ProcessBuilder pb) throws java.io.IOException {
    Process p = pb.start();
    if (relaying && received != 0) {
      send(List.of(p.toHandle()), received);
      if (!graceStarted) startGrace();
    }
    return p;
  }

  /**
   * Stops the job as an operator's signal would: sends {@code sig} to every process of the job,
   * and SIGKILL to those left a grace period later.
   */
  public synchronized void stop(int sig) {
    any = true;
    if (!relaying) return; // POST has begun: nothing of the job is left to stop
    if (received == 0) received = sig;
    send(ProcessHandle.current().descendants().toList(), sig);
    startGrace();
  }

  private void startGrace() {
    graceStarted = true;
    Thread.ofVirtual().name("grace").start(this::killAfterGrace);
  }

  private void killAfterGrace() {
    try {
      Thread.sleep(grace); // the grace period is a real wait, not synchronisation
    } catch (InterruptedException e) {
      return;
    }
    // POST has begun: the job's processes have all ended, and a cleanup exit is never killed.
    if (!relaying) return;
    List<ProcessHandle> left = ProcessHandle.current().descendants().toList();
    if (left.isEmpty()) return;
    log.accept(
        "SIGNAL KILL sent to " + left.size() + " process(es) still running " + grace.toSeconds()
            + " s after the relayed signal: "
            + String.join(", ", left.stream().map(Orphans::describe).toList()));
    send(left, Native.SIGKILL);
  }

  /** Signals each process that is still the one seen: a reused PID is another process. */
  private static void send(List<ProcessHandle> targets, int sig) {
    for (ProcessHandle p : targets) {
      Optional<Instant> seen = p.info().startInstant();
      Optional<Instant> now = ProcessHandle.of(p.pid()).flatMap(h -> h.info().startInstant());
      if (seen.isEmpty() || !seen.equals(now)) continue;
      try {
        Native.kill(p.pid(), sig);
      } catch (Native.ErrnoException e) {
        // EPERM: a setuid descendant; nothing more the monitor can do for it
      }
    }
  }
}
