package org.rmonitor.ops;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One line of a syslog file, split into stamp, host, tag and message, in each format the report
 * reads:
 *
 * <pre>
 * Mar  9 04:40:03 merlin TAG: MSG                    sysklogd, rsyslog's traditional format
 * 2026-03-09T04:40:03.245247+00:00 merlin TAG: MSG   rsyslog's default since Debian 13
 * Mar  9 04:40:03 merlin local1.info TAG: MSG        busybox syslogd
 * Mar  9 04:40:03 TAG: MSG                           busybox syslogd -S: no host
 * </pre>
 *
 * A tag may lack its colon: rsyslog writes a message it received in RFC 5424 that way.
 */
record SyslogLine(String raw, String stamp, String host, String tag, String message) {
  private static final Set<String> MONTHS =
      Set.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");
  private static final Pattern RFC3339 =
      Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:\\d\\d)");
  // busybox writes FACILITY.LEVEL with the names of syslog.h, or <PRI> for a value without one.
  // Exact names: a launcher's tag such as cron.daily must never be taken for one.
  private static final Pattern FACILITY_LEVEL =
      Pattern.compile(
          "(?:auth|authpriv|cron|daemon|ftp|kern|lpr|mail|mark|news|security|syslog|user|uucp|local[0-7])"
              + "\\.(?:alert|crit|debug|emerg|err|error|info|none|notice|panic|warn|warning)|<\\d{1,3}>");
  private static final DateTimeFormatter STAMP =
      new DateTimeFormatterBuilder()
          .appendPattern("MMM ppd HH:mm:ss")
          .parseDefaulting(ChronoField.YEAR, 2000) // syslog leaves the year out; 2000 is a leap year
          .toFormatter(Locale.ENGLISH);

  /** The line's parts, or null when it is in none of the formats above. */
  static SyslogLine parse(String raw) {
    int at = stampLength(raw);
    if (at < 0) return null;
    Cursor c = new Cursor(raw, at + 1);
    String first = c.word();
    if (first.isEmpty()) return null;
    String host;
    String tag;
    if (first.endsWith(":")) {
      host = ""; // busybox -S: no host name, no facility; a host name never ends with a colon
      tag = first;
    } else {
      host = first;
      tag = c.word();
      // A tag mostly ends with its colon, a FACILITY.LEVEL never: most lines skip the pattern.
      if (!tag.endsWith(":") && FACILITY_LEVEL.matcher(tag).matches()) tag = c.word();
    }
    if (tag.isEmpty()) return null;
    if (tag.endsWith(":")) tag = tag.substring(0, tag.length() - 1);
    return new SyslogLine(raw, raw.substring(0, at), host, tag, c.rest());
  }

  /** The length of the stamp the line starts with, if a blank follows it; else -1. */
  private static int stampLength(String raw) {
    // "Mar  9 04:40:03 ": the traditional stamp, fixed width, the day padded with a blank.
    if (raw.length() > 16
        && raw.charAt(3) == ' '
        && (raw.charAt(4) == ' ' || isDigit(raw.charAt(4)))
        && isDigit(raw.charAt(5))
        && raw.charAt(6) == ' '
        && isDigit(raw.charAt(7)) && isDigit(raw.charAt(8)) && raw.charAt(9) == ':'
        && isDigit(raw.charAt(10)) && isDigit(raw.charAt(11)) && raw.charAt(12) == ':'
        && isDigit(raw.charAt(13)) && isDigit(raw.charAt(14))
        && raw.charAt(15) == ' '
        && MONTHS.contains(raw.substring(0, 3))) {
      return 15;
    }
    if (raw.isEmpty() || !isDigit(raw.charAt(0))) return -1;
    int blank = raw.indexOf(' ');
    return blank > 0 && RFC3339.matcher(raw).region(0, blank).matches() ? blank : -1;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Words separated by one blank, as syslog daemons write them. */
  private static final class Cursor {
    private final String s;
    private int at;

    Cursor(String s, int at) {
      this.s = s;
      this.at = at;
    }

    String word() {
      if (at > s.length()) return "";
      int blank = s.indexOf(' ', at);
      int stop = blank < 0 ? s.length() : blank;
      String w = s.substring(at, stop);
      at = stop + 1;
      return w;
    }

    String rest() {
      return at > s.length() ? "" : s.substring(at);
    }
  }

  /**
   * The time, in a year of its own (only differences between lines of one run are used), or
   * null for a stamp that names no real time (Feb 30, 25:00:00).
   */
  LocalDateTime time() {
    try {
      return isDigit(stamp.charAt(0))
          ? OffsetDateTime.parse(stamp).atZoneSameInstant(ZoneOffset.UTC).toLocalDateTime()
          : LocalDateTime.parse(stamp, STAMP);
    } catch (DateTimeException e) {
      return null;
    }
  }
}
