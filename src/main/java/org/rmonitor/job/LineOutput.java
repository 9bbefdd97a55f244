package org.rmonitor.job;

import org.rmonitor.log.Escaper;
import org.rmonitor.log.LineSplitter;
import org.rmonitor.log.Severity;
import org.rmonitor.proc.ProcessRunner;

/**
 * A child's raw output turned into log lines: split per stream on newlines, escaped, stdout at
 * info and stderr at err. The policy lives here; the process plumbing knows no log format.
 */
final class LineOutput implements ProcessRunner.Output {
  /** Where the lines go. */
  interface Lines {
    void line(Severity severity, String text);
  }

  /**
   * The most bytes of one line sent as one syslog message. With escaping at worst four times
   * longer, a part stays under rsyslog's default 8 KiB message limit.
   */
  static final int MAX_LINE_BYTES = 1900;

  private final Lines lines;
  private final LineSplitter out;
  private final LineSplitter err;

  LineOutput(Lines lines) {
    this.lines = lines;
    this.out = new LineSplitter(MAX_LINE_BYTES, b -> lines.line(Severity.INFO, Escaper.escape(b)));
    this.err = new LineSplitter(MAX_LINE_BYTES, b -> lines.line(Severity.ERR, Escaper.escape(b)));
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
