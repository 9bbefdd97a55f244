package org.rmonitor.log;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The lines sent in the last few seconds. A daemon that dies takes the datagrams still queued in
 * its socket with it, a TCP connection that breaks the bytes in its buffers, and the sender was
 * told they were sent: on such a failure these lines are written to the fallback file too (a
 * duplicate is better than a loss).
 */
final class ReplayWindow {
  static final Duration SPAN = Duration.ofSeconds(3);
  static final int MAX = 2000;

  private final LongSupplier nanos;
  private final ArrayDeque<LogRecord> records = new ArrayDeque<>();
  private final ArrayDeque<Long> sent = new ArrayDeque<>();

  ReplayWindow(LongSupplier nanos) {
    this.nanos = nanos;
  }

  ReplayWindow() {
    this(System::nanoTime);
  }

  void add(LogRecord record) {
    long now = nanos.getAsLong();
    records.addLast(record);
    sent.addLast(now);
    while (records.size() > MAX || now - sent.peekFirst() > SPAN.toNanos()) {
      records.removeFirst();
      sent.removeFirst();
    }
  }

  /** The lines to write again, oldest first; the window is empty after. */
  List<LogRecord> drain() {
    List<LogRecord> out = new ArrayList<>(records);
    records.clear();
    sent.clear();
    return out;
  }
}
