package org.rmonitor.log;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How long a line may wait for a log destination, and when one that stopped taking lines is
 * tried again. A daemon that stops reading (full disk, blocked queue) would otherwise stall the
 * job through its pipes, and the signal relay behind the same sink.
 *
 * <ul>
 *   <li>DELIVER: a line waits at most {@link #BOUND}; past it, the outage begins (one WARNING).
 *   <li>FALLBACK: lines go to the fallback file without waiting; at most once per {@link
 *       #PROBE_EVERY}, one line is offered to the destination without waiting, as a probe.
 *   <li>RECOVER: after a probe went through, lines wait at most {@link #RECOVERY_BOUND}, so a
 *       daemon that reads a line now and then costs the job nothing much; {@link #CALM} without a
 *       failure ends the outage.
 * </ul>
 */
final class Outage {
  /**
   * Two seconds: long enough that a daemon busy on a loaded machine (cron.daily runs many jobs at
   * once) is not taken for a stuck one, short enough that a stuck one costs a job one pause.
   */
  static final Duration BOUND = Duration.ofSeconds(2);
  static final Duration RECOVERY_BOUND = Duration.ofMillis(100);
  static final Duration PROBE_EVERY = Duration.ofSeconds(1);
  static final Duration CALM = Duration.ofSeconds(10);

  enum Mode {
    DELIVER,
    FALLBACK,
    RECOVER
  }

  private final LongSupplier nanos;
  private Mode mode = Mode.DELIVER;
  private long since;
  private long probed;

  Outage(LongSupplier nanos) {
    this.nanos = nanos;
  }

  Outage() {
    this(System::nanoTime);
  }

  Mode mode() {
    return mode;
  }

  /** How long the next line may wait for the destination. */
  Duration bound() {
    return switch (mode) {
      case DELIVER -> BOUND;
      case RECOVER -> RECOVERY_BOUND;
      case FALLBACK -> Duration.ZERO;
    };
  }

  /** False while lines must go straight to the fallback; true for the one probe per second. */
  boolean tryDestination() {
    if (mode != Mode.FALLBACK) return true;
    long now = nanos.getAsLong();
    if (now - probed < PROBE_EVERY.toNanos()) return false;
    probed = now;
    return true;
  }

  /** The destination did not take a line. True when this begins an outage: its WARNING is due. */
  boolean failed() {
    boolean begins = mode == Mode.DELIVER;
    mode = Mode.FALLBACK;
    probed = nanos.getAsLong();
    return begins;
  }

  /** The destination took a line. */
  void delivered() {
    if (mode == Mode.DELIVER) return; // the usual case, once per line: no clock to read
    long now = nanos.getAsLong();
    if (mode == Mode.FALLBACK) {
      mode = Mode.RECOVER;
      since = now;
    } else if (mode == Mode.RECOVER && now - since >= CALM.toNanos()) {
      mode = Mode.DELIVER;
    }
  }
}
