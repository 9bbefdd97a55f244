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

  private volatile Duration grace = Duration.ofSeconds(30);
  private Consumer<String> log; // null until the log is open: lines wait in pending
  private final List<String> pending = new java.util.ArrayList<>();
  private final List<Signal> ignored = new java.util.ArrayList<>();
  private volatile boolean relaying = true;
  private volatile int received;
  private volatile boolean any;

  /**
   * Catches the signals at once, the monitor's first act: a TERM that comes before the log is
   * open is kept and acted on, never the JVM's silent default death. No native call yet (the
   * first costs about 15 ms of CPU): a signal ignored when the JVM started is caught later, by
   * {@link #undoIgnored}.
   */
  public SignalRelay() {
    // A named class, not this::onSignal: without an AOT cache a method reference here spins up
    // the lambda bootstrap (~150 classes) before "up", on run-parts' clock.
    sun.misc.SignalHandler handler = new Handler();
    for (String name : CAUGHT) {
      Signal signal = new Signal(name);
      if (Signal.handle(signal, handler) == sun.misc.SignalHandler.SIG_IGN) ignored.add(signal);
    }
  }

  private final class Handler implements sun.misc.SignalHandler {
    @Override
    public void handle(Signal signal) {
      onSignal(signal);
    }
  }

  /** From now on lines go to {@code log}, those of signals that came before it first. */
  public void logTo(Duration grace, Consumer<String> log) {
    this.grace = grace;
    List<String> early;
    synchronized (pending) {
      this.log = log;
      early = List.copyOf(pending);
      pending.clear();
    }
    early.forEach(log);
  }

  private void say(String line) {
    Consumer<String> to;
    synchronized (pending) {
      to = log;
      if (to == null) pending.add(line);
    }
    if (to != null) to.accept(line);
  }

  /**
   * A signal ignored when the JVM started stays ignored (dash starts background jobs with SIGINT
   * ignored, nohup ignores SIGHUP), and {@code Signal.handle} then silently installs nothing: its
   * default action is restored and the handler installed again.
   */
  public void undoIgnored() {
    for (Signal signal : ignored) {
      try {
        Native.defaultAction(signal.getNumber());
        Signal.handle(signal, this::onSignal);
      } catch (Native.ErrnoException e) {
        say("WARNING SIG" + signal.getName() + " stays ignored: " + e.getMessage());
      }
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
   * relay holds no lock that logging needs. Waits end last, once the line is logged: a job that
   * waited for a lock or its turn logs {@code JOB Status} at once, and that line must come after
   * this one, not race it from another thread.
   */
  private void onSignal(Signal signal) {
    if (relaying) {
      relay(signal.getNumber());
      say("SIGNAL " + signal.getName() + " received; relaying it to the job's processes");
    } else {
      say("SIGNAL " + signal.getName() + " received during POST; not relayed");
    }
    any = true;
  }

  /**
   * Starts a child under the same lock as {@link #stop}: a stop that came first is sent to the
   * child at once, so no signal falls into the gap between a "stopped?" check and the start.
   */
  @Override
  public synchronized Process start(ProcessBuilder pb) throws java.io.IOException {
    Process p = Scheduling.start(pb);
    if (relaying && received != 0) send(List.of(p.toHandle()), received);
    return p;
  }

  /**
   * Stops the job as an operator's signal would: sends {@code sig} to every process of the job,
   * and SIGKILL to those left a grace period later.
   */
  public synchronized void stop(int sig) {
    any = true;
    relay(sig);
  }

  private synchronized void relay(int sig) {
    if (!relaying) return; // POST has begun: nothing of the job is left to stop
    if (received == 0) received = sig;
    send(ProcessHandle.current().descendants().toList(), sig);
  }

  /**
   * The grace period, as a subtask beside each process the job runs (so the process's scope owns
   * it): once a stop has been relayed, whatever of the job still runs {@code grace} later gets
   * SIGKILL. Returns as soon as {@code done} opens.
   */
  public ProcessRunner.Watcher grace() {
    return done -> {
      // Stops are rare and come from another thread: looking ten times a second is plenty.
      while (received == 0) {
        if (done.await(100, java.util.concurrent.TimeUnit.MILLISECONDS)) return;
      }
      if (done.await(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) return;
      killLeft();
    };
  }

  private void killLeft() {
    // POST has begun: the job's processes have all ended, and a cleanup exit is never killed.
    if (!relaying) return;
    List<ProcessHandle> left = ProcessHandle.current().descendants().toList();
    if (left.isEmpty()) return;
    say(
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
