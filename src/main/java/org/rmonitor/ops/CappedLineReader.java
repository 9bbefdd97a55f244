package org.rmonitor.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Cuts a byte stream into lines on LF (a CR before it dropped), decoded as UTF-8 (invalid bytes
 * become U+FFFD), each at most {@code maxBytes} long. A syslog file is not trusted to have
 * newlines: a longer line is cut at a character boundary, the rest is skipped up to its newline,
 * and the line says so ({@code ... 1073733632 bytes left out ...}). So a 1 GB line costs
 * {@code maxBytes}, not gigabytes.
 */
final class CappedLineReader {
  /** Room for any syslog message: rsyslog's default limit is 8 KiB, busybox's and sysklogd's 1 KiB. */
  static final int MAX_LINE = 8192;

  private final InputStream in;
  private final byte[] buf = new byte[1 << 16];
  private final byte[] line;
  private int pos;
  private int end;
  private long count;

  CappedLineReader(InputStream in, int maxBytes) {
    if (maxBytes < 4) throw new IllegalArgumentException("maxBytes < 4");
    this.in = in;
    this.line = new byte[maxBytes];
  }

  /** The next line, or null at the end of the stream; a last line without LF is still a line. */
  String next() throws IOException {
    int len = 0;
    long cut = 0;
    boolean any = false;
    while (true) {
      if (pos == end) {
        int n = in.read(buf);
        if (n < 0) {
          if (!any) return null;
          break;
        }
        pos = 0;
        end = n;
      }
      any = true;
      int stop = pos;
      while (stop < end && buf[stop] != '\n') stop++;
      int take = Math.min(stop - pos, line.length - len);
      System.arraycopy(buf, pos, line, len, take);
      len += take;
      cut += stop - pos - take;
      pos = stop;
      if (stop < end) {
        pos++; // past the LF
        break;
      }
    }
    count++;
    if (cut == 0) {
      if (len > 0 && line[len - 1] == '\r') len--;
      return new String(line, 0, len, StandardCharsets.UTF_8);
    }
    int keep = characterBoundary(len);
    cut += len - keep;
    return new String(line, 0, keep, StandardCharsets.UTF_8) + " ... " + cut + " bytes left out ...";
  }

  /** Lines returned so far: where in a file reading stopped. */
  long count() {
    return count;
  }

  /** The length without a UTF-8 sequence that the cut left incomplete. */
  private int characterBoundary(int len) {
    for (int back = 1; back <= 3 && len - back >= 0; back++) {
      int c = line[len - back] & 0xff;
      if ((c & 0xc0) == 0x80) continue; // a continuation byte: look for its lead
      int need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
      return need > back ? len - back : len;
    }
    return len;
  }
}
