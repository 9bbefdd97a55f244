package org.rmonitor.job;

import org.rmonitor.log.LineSplitter;
import org.rmonitor.log.Severity;
import org.rmonitor.proc.ProcessRunner;

/**
 * A child's raw output turned into log lines: split per stream on newlines, escaped, cut into
 * marked parts that fit one message each, stdout at info and stderr at err. The policy lives
 * here; the process plumbing knows no log format.
 */
final class LineOutput implements ProcessRunner.Output {
  /** Where the lines go. */
  interface Lines {
    void line(Severity severity, String text);
  }

  private final Lines lines;
  private final LineSplitter out;
  private final LineSplitter err;

  /** {@code room}: the most bytes of text one message may carry; a longer line comes in parts. */
  LineOutput(Lines lines, int room) {
    this.lines = lines;
    this.out = new LineSplitter(room, text -> lines.line(Severity.INFO, text));
    this.err = new LineSplitter(room, text -> lines.line(Severity.ERR, text));
  }

  @Override
  public void bytes(boolean stderr, byte[] b, int off, int len) {
    (stderr ? err : out).feed(b, off, len);
  }

  @Override
  public void end(boolean stderr) {
    (stderr ? err : out).finish();
  }

  @Override
  public void notice(String text) {
    lines.line(Severity.ERR, text);
  }
}
