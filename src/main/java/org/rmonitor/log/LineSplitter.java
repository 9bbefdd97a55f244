package org.rmonitor.log;

import java.util.function.Consumer;

/**
 * Cuts a byte stream into lines on LF, dropping one CR before it. A line longer than
 * {@code maxBytes} is handed on in parts of at most that size, cut between UTF-8 characters, so
 * no line is ever merged with another, lost, or truncated by a syslog daemon's size limit.
 */
public final class LineSplitter {
  private final int maxBytes;
  private final Consumer<byte[]> lines;
  private final byte[] buf;
  private int len;

  public LineSplitter(int maxBytes, Consumer<byte[]> lines) {
    if (maxBytes < 4) throw new IllegalArgumentException("maxBytes < 4");
    this.maxBytes = maxBytes;
    this.lines = lines;
    this.buf = new byte[maxBytes];
  }

  public void feed(byte[] data, int off, int n) {
    for (int i = off; i < off + n; i++) {
      byte c = data[i];
      if (c == '\n') {
        emitLine();
      } else {
        if (len == maxBytes) emitPart();
        buf[len++] = c;
      }
    }
  }

  /** End of stream: a last line without a newline is still a line. */
  public void finish() {
    if (len > 0) emitLine();
  }

  private void emitLine() {
    int n = len > 0 && buf[len - 1] == '\r' ? len - 1 : len;
    lines.accept(java.util.Arrays.copyOf(buf, n));
    len = 0;
  }

  /** Emits a full buffer up to the start of a UTF-8 character that may be incomplete. */
  private void emitPart() {
    int cut = len;
    for (int back = 1; back <= 3 && len - back >= 0; back++) {
      int c = buf[len - back] & 0xff;
      if ((c & 0xc0) == 0x80) continue; // continuation byte: keep looking for its lead
      int need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
      if (need > back) cut = len - back; // its sequence is not complete yet: carry it over
      break;
    }
    if (cut == 0) cut = len;
    lines.accept(java.util.Arrays.copyOf(buf, cut));
    System.arraycopy(buf, cut, buf, 0, len - cut);
    len -= cut;
  }
}
