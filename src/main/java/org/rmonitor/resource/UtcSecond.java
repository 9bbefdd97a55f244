package org.rmonitor.resource;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * A whole second in UTC as a lock file writes it, {@code 2026-11-30T04:40:03Z}: what
 * {@link Instant#toString} writes for a whole second, written and read here without
 * DateTimeFormatter, whose class set-up costs a monitor ~1.5 ms of CPU at start.
 */
final class UtcSecond {
  private UtcSecond() {}

  static String format(Instant t) {
    LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
    if (t.getNano() != 0 || d.getYear() < 1000 || d.getYear() > 9999) return t.toString();
    StringBuilder s = new StringBuilder(20).append(d.getYear()).append('-');
    two(s, d.getMonthValue()).append('-');
    two(s, d.getDayOfMonth()).append('T');
    two(s, d.getHour()).append(':');
    two(s, d.getMinute()).append(':');
    return two(s, d.getSecond()).append('Z').toString();
  }

  /** Parses what {@link #format} writes, and any other form {@link Instant#parse} takes. */
  static Instant parse(String text) throws DateTimeParseException {
    if (text.length() != 20 || !shaped(text)) return Instant.parse(text);
    try {
      return LocalDateTime.of(
              number(text, 0, 4), number(text, 5, 7), number(text, 8, 10),
              number(text, 11, 13), number(text, 14, 16), number(text, 17, 19))
          .toInstant(ZoneOffset.UTC);
    } catch (java.time.DateTimeException e) {
      return Instant.parse(text); // 2026-02-30: let Instant.parse say what is wrong
    }
  }

  /** dddd-dd-ddTdd:dd:ddZ */
  private static boolean shaped(String t) {
    for (int i = 0; i < 20; i++) {
      char c = t.charAt(i);
      boolean ok = switch (i) {
        case 4, 7 -> c == '-';
        case 10 -> c == 'T';
        case 13, 16 -> c == ':';
        case 19 -> c == 'Z';
        default -> c >= '0' && c <= '9';
      };
      if (!ok) return false;
    }
    return true;
  }

  private static int number(String t, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) n = n * 10 + (t.charAt(i) - '0');
    return n;
  }

  private static StringBuilder two(StringBuilder s, int n) {
    return s.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
  }
}
