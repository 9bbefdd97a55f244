package org.rmonitor.job;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import org.rmonitor.log.Parts;

/**
 * A bounded record of a job's lines for its failure notice: rmonitor's own lines (the lifecycle and
 * the exits' output), and the last lines of the target's stderr and stdout, kept apart so that a
 * notice can show stderr first, where a failing command says why. Syslog has every line; this
 * keeps only what fits in a mail, and counts what it dropped. The target's two streams are drained
 * by two threads at once, hence the locking.
 */
public final class Transcript {
  /** The most UTF-8 bytes of one line kept: a mail line must stay under 998 octets (RFC 5322). */
  static final int MAX_LINE_BYTES = 900;

  /** One line as logged, with when it was logged. */
  public record Line(Instant time, String text) {}

  /** The last lines of one stream, at most {@code maxLines} and {@code maxBytes}; how many were seen. */
  public record Tail(List<Line> lines, long seen) {
    public long leftOut() {
      return seen - lines.size();
    }
  }

  private final Stream lifecycle;
  private final Stream stderr;
  private final Stream stdout;

  private Transcript(int scale) {
    lifecycle = new Stream(100 * scale, 8 * 1024 * scale);
    stderr = new Stream(200 * scale, 32 * 1024 * scale);
    stdout = new Stream(100 * scale, 16 * 1024 * scale);
  }

  /** At most 400 lines and 56 KiB of text: with its headers, a notice stays under 64 KiB. */
  public static Transcript bounded() {
    return new Transcript(1);
  }

  /** Keeps nothing: for a job nobody is to be told about. */
  public static Transcript off() {
    return new Transcript(0);
  }

  public void lifecycle(Instant time, String text) {
    lifecycle.add(new Line(time, cut(text)));
  }

  public void target(boolean isStderr, Instant time, String text) {
    (isStderr ? stderr : stdout).add(new Line(time, cut(text)));
  }

  public Tail lifecycle() {
    return lifecycle.tail();
  }

  public Tail stderr() {
    return stderr.tail();
  }

  public Tail stdout() {
    return stdout.tail();
  }

  /** A line cut to {@link #MAX_LINE_BYTES} at a character boundary, saying how much is missing. */
  static String cut(String text) {
    if (Parts.fits(text, MAX_LINE_BYTES)) return text;
    int room = MAX_LINE_BYTES - 60; // for the note
    int i = 0;
    for (int cp; room >= utf8Length(cp = text.codePointAt(i)); i += Character.charCount(cp)) {
      room -= utf8Length(cp);
    }
    return text.substring(0, i) + " [cut: " + text.codePointCount(i, text.length()) + " more characters, see syslog]";
  }

  private static int utf8Length(int cp) {
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }

  /** A ring of the last lines of one stream. */
  private static final class Stream {
    private final int maxLines;
    private final int maxBytes;
    private final ArrayDeque<Line> lines = new ArrayDeque<>();
    private final ArrayDeque<Integer> sizes = new ArrayDeque<>();
    private long bytes;
    private long seen;

    Stream(int maxLines, int maxBytes) {
      this.maxLines = maxLines;
      this.maxBytes = maxBytes;
    }

    synchronized void add(Line line) {
      seen++;
      if (maxLines == 0) return;
      int size = Parts.utf8Length(line.text()) + 1;
      lines.addLast(line);
      sizes.addLast(size);
      bytes += size;
      while (lines.size() > maxLines || bytes > maxBytes) {
        lines.removeFirst();
        bytes -= sizes.removeFirst();
      }
    }

    synchronized Tail tail() {
      return new Tail(List.copyOf(lines), seen);
    }
  }
}
