package org.rmonitor.log;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The lines sent in the last few seconds. A daemon that dies takes the datagrams still queued in
 * its socket with it, a TCP connection that breaks the bytes in its buffers, and the sender was
 * told they were sent: on such a failure these lines are written to the fallback file too (a
 * duplicate is better than a loss).
 *
 * <p>A ring of {@link #MAX} records and their send times: a chatty job adds one a line, and
 * allocates nothing for it.
 */
final class ReplayWindow {
  static final Duration SPAN = Duration.ofSeconds(3);
  static final int MAX = 2000;

  private final LongSupplier nanos;
  private final LogRecord[] records = new LogRecord[MAX];
  private final long[] sent = new long[MAX];
  /** The oldest record's slot, and how many there are. */
  private int first;
  private int size;

  ReplayWindow(LongSupplier nanos) {
    this.nanos = nanos;
  }

  ReplayWindow() {
    this(System::nanoTime);
  }

  void add(LogRecord record) {
    long now = nanos.getAsLong();
    if (size == MAX) drop();
    int slot = (first + size) % MAX;
    records[slot] = record;
    sent[slot] = now;
    size++;
    while (now - sent[first] > SPAN.toNanos()) drop();
  }

  private void drop() {
    records[first] = null;
    first = (first + 1) % MAX;
    size--;
  }

  /** The lines to write again, oldest first; the window is empty after. */
  List<LogRecord> drain() {
    List<LogRecord> out = new ArrayList<>(size);
    while (size > 0) {
      out.add(records[first]);
      drop();
    }
    return out;
  }
}
