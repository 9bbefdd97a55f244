package org.rmonitor.job;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import org.rmonitor.log.LogRecord;
import org.rmonitor.log.Severity;
import org.rmonitor.log.Sink;

/**
 * Writes a job's lines under the right ident. The target's own output is always tagged
 * {@code JOB[PID]}; rmonitor's lines and its exits' output too, or with {@code -L} as
 * {@code rmonitor: JOB[PID]: ...} so the job management stands apart from the script.
 */
public final class JobLog {
  static final String LONG_IDENT = "rmonitor";

  private final java.util.concurrent.atomic.AtomicBoolean statusLogged = new java.util.concurrent.atomic.AtomicBoolean();

  private final Sink sink;
  private final Job job;
  private final boolean longName;
  private final PrintStream lastResort;
  private final Transcript transcript;

  public JobLog(Sink sink, Job job, PrintStream lastResort) {
    this(sink, job, lastResort, Transcript.off());
  }

  /** Also keeps the job's last lines in {@code transcript}, for its failure notice. */
  public JobLog(Sink sink, Job job, PrintStream lastResort, Transcript transcript) {
    this.sink = sink;
    this.job = job;
    this.longName = job.options().longName();
    this.lastResort = lastResort;
    this.transcript = transcript;
  }

  /** The launcher's line, sent on its behalf with the time it was launched. */
  public void launched(Instant at) {
    send(new LogRecord(at, Severity.INFO, job.base(), "JOB " + job.ident() + " Launched"));
    transcript.lifecycle(at, "JOB " + job.ident() + " Launched");
  }

  /**
   * {@code JOB Status N}, the job's last word: logged once, whatever path the monitor takes
   * (a second call, from the shutdown hook say, logs nothing).
   */
  public void jobStatus(int status) {
    if (statusLogged.compareAndSet(false, true)) monitor(Severity.ofStatus(status), "JOB Status " + status);
  }

  /** True once {@code JOB Status} has been logged. */
  public boolean statusLogged() {
    return statusLogged.get();
  }

  public void monitor(Severity severity, String message) {
    Instant now = Instant.now();
    transcript.lifecycle(now, message);
    send(
        longName
            ? new LogRecord(now, severity, LONG_IDENT, job.ident() + ": " + message)
            : new LogRecord(now, severity, job.ident(), message));
  }

  public void target(Severity severity, String text) {
    Instant now = Instant.now();
    transcript.target(severity == Severity.ERR, now, text);
    send(new LogRecord(now, severity, job.ident(), text));
  }

  private void send(LogRecord record) {
    try {
      sink.send(record);
    } catch (IOException e) {
      // Both the destination and the fallback failed: stderr is all that is left.
      lastResort.println(record.ident() + ": " + record.message() + " (undelivered: " + e.getMessage() + ")");
    }
  }
}
