package org.rmonitor.log;

import java.util.function.Consumer;

/**
 * Cuts the byte stream a process writes into log messages: a line per LF, one CR before it
 * dropped, each line escaped ({@link Escaper}). A line whose escaped text is longer than {@code
 * room} bytes is handed on in marked parts ({@link Parts}) that each fit in {@code room}, cut
 * between escape units, so no line is ever merged with another, lost, or truncated by a syslog
 * daemon's size limit. It holds at most one part in memory, however long a line runs: a script
 * that draws a progress bar with CRs for an hour is logged as it goes.
 */
public final class LineSplitter {
  private final int room;
  private final Consumer<String> messages;
  private final byte[] buf;
  private int len;
  /** buf[0, decided) is made of whole escape units whose escaped length is {@code escaped}. */
  private int decided;
  private int escaped;
  /** The last unit boundary at which part {@code part} could be cut with its mark, and what fits there. */
  private int fit;
  /** 1 until the line in progress has been cut; then the number of the part in progress. */
  private int part = 1;

  /** {@code room}: the most bytes of one message's text, marks included. */
  public LineSplitter(int room, Consumer<String> messages) {
    if (room < Parts.MIN_ROOM) throw new IllegalArgumentException("room " + room + " < " + Parts.MIN_ROOM);
    this.room = room;
    this.messages = messages;
    this.buf = new byte[room + 8]; // a part, the unit that did not fit, and a CR kept back
  }

  public void feed(byte[] data, int off, int n) {
    for (int i = off, end = off + n; i < end; ) i = line(data, i, end);
  }

  /**
   * Takes the bytes of data[from, end) up to and including the first newline; returns where it
   * stopped. One call per line, not one loop over a whole read: the JIT compiles a method after
   * a few thousand calls, where a loop inside {@link #feed} waited for hundreds of thousands of
   * bytes (an on-stack replacement, half of a 300,000-line job interpreted).
   */
  private int line(byte[] data, int from, int end) {
    for (int i = from; i < end; i++) {
      byte c = data[i];
      if (c == '\n') {
        endLine();
        return i + 1;
      }
      buf[len++] = c;
      if (Escaper.plain(c) && decided == len - 1) {
        take(1, 1); // plain ASCII: the fast path of nearly every line
        // The plain ASCII after it, as far as the part in progress has room for it unmarked,
        // taken at once: byte by byte, take() would find the same for each.
        int run = Escaper.plainRun(data, i + 1, end, wholeRoom() - markRoom() - escaped);
        System.arraycopy(data, i + 1, buf, len, run);
        len += run;
        decided = len;
        escaped += run;
        if (run > 0) fit = decided;
        i += run;
      } else {
        decide(false);
      }
    }
    return end;
  }

  /** End of stream: a last line without a newline is still a line. */
  public void finish() {
    if (len > 0 || part > 1) endLine();
  }

  private void endLine() {
    if (len > 0 && buf[len - 1] == '\r') len--;
    decide(true);
    if (part == 1) {
      emit(0, len, "");
    } else {
      emit(0, len, Parts.mark(part, true));
    }
    len = 0;
    decided = 0;
    escaped = 0;
    fit = 0;
    part = 1;
  }

  /** Takes every unit that the bytes so far decide (at the end of a line, all of them). */
  private void decide(boolean atEnd) {
    while (decided < len) {
      // A CR is decided by the byte after it: dropped before a LF, escaped otherwise.
      if (!atEnd && buf[decided] == '\r' && decided + 1 == len) return;
      int n = Escaper.unitLength(buf, decided, len);
      if (n == 0) {
        if (!atEnd) return; // the rest of a UTF-8 character may still come
        n = 1; // it never came: the bytes are escaped one by one
      }
      take(n, Escaper.cost(buf, decided, n));
    }
  }

  /** Adds the unit at {@code decided}, cutting a part first when the line would outgrow the room. */
  private void take(int n, int cost) {
    if (escaped + cost > wholeRoom()) {
      int cut = fit;
      emit(0, cut, Parts.mark(part, false));
      System.arraycopy(buf, cut, buf, 0, len - cut);
      len -= cut;
      int redo = decided - cut;
      decided = 0;
      escaped = 0;
      fit = 0;
      part++;
      // The units carried over into the new part are counted again against its room.
      while (decided < redo) {
        int m = Math.max(1, Escaper.unitLength(buf, decided, len)); // 0: a cut-short character, taken byte by byte
        take(m, Escaper.cost(buf, decided, m));
      }
    }
    decided += n;
    escaped += cost;
    if (escaped <= wholeRoom() - markRoom()) fit = decided;
  }

  /** How much escaped text the part in progress may hold if it turns out to be the last one. */
  private int wholeRoom() {
    if (part > 1) return room - Parts.markRoom(part);
    // A line starting with '[' may have to escape it (3 more bytes) to not look like a mark.
    return len > 0 && buf[0] == '[' ? room - 3 : room;
  }

  /** What a mark takes from a part that has to be cut: the whole-line room already counts it after part 1. */
  private int markRoom() {
    return part == 1 ? Parts.markRoom(1) : 0;
  }

  private void emit(int from, int to, String mark) {
    if (part == 1 && Parts.looksMarked(buf, to)) {
      messages.accept(mark + Parts.ESCAPED_BRACKET + Escaper.escape(buf, from + 1, to - from - 1));
    } else {
      messages.accept(mark + Escaper.escape(buf, from, to - from));
    }
  }
}
