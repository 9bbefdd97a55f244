package org.rmonitor.job;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.function.Function;
import org.rmonitor.log.LogRecord;
import org.rmonitor.log.Parts;
import org.rmonitor.log.Severity;
import org.rmonitor.log.Sink;

/**
 * Writes a job's lines under the right ident. The target's own output is always tagged
 * {@code JOB[PID]}; rmonitor's lines and its exits' output too, or with {@code -L} as
 * {@code rmonitor: JOB[PID]: ...} so the job management stands apart from the script. Every
 * message fits the destination: a longer one goes in marked parts, its prefix on each.
 */
public final class JobLog {
  static final String LONG_IDENT = "rmonitor";
  /** A bound on the room asked of a sink that has no size limit (a file): one part in memory. */
  private static final int MAX_ROOM = 64 * 1024;

  private final java.util.concurrent.atomic.AtomicBoolean statusLogged = new java.util.concurrent.atomic.AtomicBoolean();

  private final Sink sink;
  private final Job job;
  /** {@code job.ident()}, made once: a chatty job's every line is logged under it. */
  private final String ident;
  private final boolean longName;
  private final PrintStream lastResort;
  private final Transcript transcript;
  private final int targetRoom;
  private final int monitorRoom;

  public JobLog(Sink sink, Job job, PrintStream lastResort) {
    this(sink, job, lastResort, Transcript.off());
  }

  /** Also keeps the job's last lines in {@code transcript}, for its failure notice. */
  public JobLog(Sink sink, Job job, PrintStream lastResort, Transcript transcript) {
    this.sink = sink;
    this.job = job;
    this.ident = job.ident();
    this.longName = job.options().longName();
    this.lastResort = lastResort;
    this.transcript = transcript;
    this.targetRoom = room(ident, "");
    this.monitorRoom = room(monitorIdent(), "");
  }

  /** The launcher's line, sent on its behalf with the time it was launched. */
  public void launched(Instant at) {
    send(new LogRecord(at, Severity.INFO, job.base(), "JOB " + ident + " Launched"));
    transcript.lifecycle(at, "JOB " + ident + " Launched");
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
    String tag = monitorIdent();
    String head = monitorHead();
    Instant now = now();
    transcript.lifecycle(now, message);
    for (String part : Parts.cut(head, message, monitorRoom)) send(new LogRecord(now, severity, tag, part));
  }

  public void target(Severity severity, String text) {
    Instant now = now();
    transcript.target(severity == Severity.ERR, now, text);
    // A line that fits (nearly every one, cut to the room by LineSplitter) goes as it is, with
    // no parts list: once a line of a chatty job.
    if (Parts.fits(text, targetRoom)) {
      send(new LogRecord(now, severity, ident, text));
      return;
    }
    for (String part : Parts.cut("", text, targetRoom)) send(new LogRecord(now, severity, ident, part));
  }

  /** The bytes of text one line of the target's output may carry in one message. */
  int targetRoom() {
    return targetRoom;
  }

  /** The same for a line of an exit's output, {@code prefix} ({@code PREP R: }) in front of it. */
  int exitRoom(String prefix) {
    return room(monitorIdent(), monitorHead() + prefix);
  }

  /** How a line rmonitor adds (a WARNING of the log itself, say) is logged for {@code job}. */
  public static Function<String, LogRecord> notices(Job job, Severity severity) {
    return message ->
        job.options().longName()
            ? new LogRecord(Instant.now(), severity, LONG_IDENT, job.ident() + ": " + message)
            : new LogRecord(Instant.now(), severity, job.ident(), message);
  }

  private String monitorIdent() {
    return longName ? LONG_IDENT : ident;
  }

  private String monitorHead() {
    return longName ? ident + ": " : "";
  }

  /** The bytes of text after {@code head} that one message under {@code ident} can carry. */
  private int room(String ident, String head) {
    int room = Math.min(MAX_ROOM, sink.room(ident)) - head.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    return Math.max(Parts.MIN_ROOM, room);
  }

  /**
   * The time of a line, to the millisecond that every sink writes at most (RFC 5424's .SSS):
   * System.currentTimeMillis is compiled inline, where Instant.now calls into the JVM, once a
   * line of a chatty job.
   */
  private static Instant now() {
    return Instant.ofEpochMilli(System.currentTimeMillis());
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
