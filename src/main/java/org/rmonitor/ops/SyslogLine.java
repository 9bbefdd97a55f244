package org.rmonitor.ops;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of a syslog file in the traditional format, {@code Mmm dd HH:mm:ss HOST TAG: MSG},
 * seen as an rmonitor line: which job it belongs to and what it says. Both ident forms are read:
 * {@code JOB[PID]: MSG} and, with -L, {@code rmonitor: JOB[PID]: MSG}; and the tag without its
 * colon, as rsyslog writes messages it received in RFC 5424 from a remote rmonitor.
 */
record SyslogLine(String raw, String stamp, String job, String message, boolean launched, boolean longForm) {
  // The traditional stamp (Mar  9 04:40:03), or RFC 3339 as rsyslog writes by default
  // (2026-03-09T04:40:03.245247+00:00): Debian 13 switched its files to the latter.
  private static final Pattern LINE =
      Pattern.compile(
          "([A-Z][a-z]{2} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d"
              + "|\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:\\d\\d)) \\S+ (\\S+?):? (.*)");
  private static final Pattern JOB = Pattern.compile("[^\\s\\[\\]]+\\[\\d+\\]");
  private static final Pattern LAUNCHED = Pattern.compile("JOB ([^\\s\\[\\]]+\\[\\d+\\]) Launched");
  private static final Pattern LONG = Pattern.compile("([^\\s\\[\\]]+\\[\\d+\\]): (.*)");
  private static final DateTimeFormatter STAMP =
      new DateTimeFormatterBuilder()
          .appendPattern("MMM ppd HH:mm:ss")
          .parseDefaulting(ChronoField.YEAR, 2000) // syslog leaves the year out; 2000 is a leap year
          .toFormatter(Locale.ENGLISH);

  /** The rmonitor line this is, if it is one. */
  static Optional<SyslogLine> parse(String raw) {
    Matcher m = LINE.matcher(raw);
    if (!m.matches()) return Optional.empty();
    String tag = m.group(2);
    String msg = m.group(3);
    Matcher launched = LAUNCHED.matcher(msg);
    if (launched.matches()) return Optional.of(new SyslogLine(raw, m.group(1), launched.group(1), msg, true, false));
    if (tag.equals("rmonitor")) {
      Matcher l = LONG.matcher(msg);
      if (!l.matches()) return Optional.empty();
      return Optional.of(new SyslogLine(raw, m.group(1), l.group(1), l.group(2), false, true));
    }
    if (JOB.matcher(tag).matches()) return Optional.of(new SyslogLine(raw, m.group(1), tag, msg, false, false));
    return Optional.empty();
  }

  /** The time, in a year of its own: only differences between lines of one job are used. */
  LocalDateTime time() {
    return Character.isDigit(stamp.charAt(0))
        ? java.time.OffsetDateTime.parse(stamp).atZoneSameInstant(java.time.ZoneOffset.UTC).toLocalDateTime()
        : LocalDateTime.parse(stamp, STAMP);
  }
}
