package org.rmonitor.ops;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A syslog line seen as rmonitor's: the run it belongs to ({@code host}, {@code JOB[PID]}), what
 * it says, and which lifecycle event it is, if any. Both ident forms are read: {@code
 * JOB[PID]: MSG} and, with -L, {@code rmonitor: JOB[PID]: MSG}; and the launcher's {@code
 * JOB JOB[PID] Launched} under any tag (the directory's name).
 */
record JobLine(SyslogLine line, RunKey key, String message, Event event, boolean longForm) {
  /** The lines that mark a run's steps. */
  enum Event { LAUNCHED, JOB_BEGINS, PROCESSING_BEGINS, PROCESSING_STATUS, JOB_STATUS, EXIT, NONE }

  /** A run is known by its host and its tag, JOB[PID]: PIDs repeat across a fleet. */
  record RunKey(String host, String job) {
    // Written out: a record's own are linked through method handles, slow in the C1-only JIT
    // the wrapper chooses for quick starts, and this key is looked up for every line.
    @Override
    public boolean equals(Object o) {
      return o instanceof RunKey k && k.job.equals(job) && k.host.equals(host);
    }

    @Override
    public int hashCode() {
      return 31 * host.hashCode() + job.hashCode();
    }
  }

  private static final Pattern LAUNCHED = Pattern.compile("JOB ([^\\s\\[\\]]+\\[\\d+\\]) Launched");
  private static final Pattern LONG = Pattern.compile("([^\\s\\[\\]]+\\[\\d+\\]): (.*)");
  private static final Pattern STATUS = Pattern.compile("-?\\d+");
  private static final Pattern EXIT_LINE = Pattern.compile("(?:PREP|POST) \\S+: EXIT .*");

  /** The rmonitor line this is, or null. */
  static JobLine of(SyslogLine l) {
    String msg = l.message();
    if (msg.startsWith("JOB ") && msg.endsWith(" Launched")) {
      Matcher m = LAUNCHED.matcher(msg);
      if (m.matches()) return new JobLine(l, new RunKey(l.host(), m.group(1)), msg, Event.LAUNCHED, false);
    }
    if (l.tag().equals("rmonitor")) {
      Matcher m = LONG.matcher(msg);
      if (!m.matches()) return null;
      return new JobLine(l, new RunKey(l.host(), m.group(1)), m.group(2), event(m.group(2)), true);
    }
    if (isJob(l.tag())) {
      return new JobLine(l, new RunKey(l.host(), l.tag()), msg, event(msg), false);
    }
    return null;
  }

  /** NAME[PID], as [^\\s\\[\\]]+\\[\\d+\\] would match: every line of a collector's file asks. */
  static boolean isJob(String tag) {
    int open = tag.indexOf('[');
    if (open < 1 || tag.length() < open + 3 || tag.charAt(tag.length() - 1) != ']') return false;
    for (int i = 0; i < open; i++) {
      char c = tag.charAt(i);
      if (c == ']' || Character.isWhitespace(c)) return false;
    }
    for (int i = open + 1; i < tag.length() - 1; i++) {
      char c = tag.charAt(i);
      if (c < '0' || c > '9') return false;
    }
    return true;
  }

  private static Event event(String m) {
    if (m.equals("JOB Begins")) return Event.JOB_BEGINS;
    if (m.equals("PROCESSING Begins")) return Event.PROCESSING_BEGINS;
    if (m.startsWith("PROCESSING Status ") && STATUS.matcher(m).region(18, m.length()).matches()) {
      return Event.PROCESSING_STATUS;
    }
    if (m.startsWith("JOB Status ") && STATUS.matcher(m).region(11, m.length()).matches()) return Event.JOB_STATUS;
    if ((m.startsWith("PREP ") || m.startsWith("POST ")) && EXIT_LINE.matcher(m).matches()) return Event.EXIT;
    return Event.NONE;
  }

  /**
   * Whether the line may open a run whose launch is not in the input. Other programs log as
   * NAME[PID] too (sshd[999]): a tag is a job only once rmonitor itself said so.
   */
  boolean opensRun() {
    return longForm || event != Event.NONE;
  }
}
