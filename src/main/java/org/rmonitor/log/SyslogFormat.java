package org.rmonitor.log;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The two text forms of a record: a datagram for a local syslog socket, and a log file line. */
public final class SyslogFormat {
  /** LOG_LOCAL1, as the seed's rmonitor logged. */
  public static final int FACILITY = 17;

  // "Mar  9 04:40:03": RFC 3164 pads the day with a space, and month names are always English.
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);

  private final ZoneId zone;
  private final int maxMessage;
  // A job logs many lines a second: format each second's stamp once.
  private long stampSecond = Long.MIN_VALUE;
  private String stamp;

  public SyslogFormat(ZoneId zone) {
    this(zone, Destination.LOCAL_MAX_MESSAGE);
  }

  /** {@code maxMessage}: the most bytes of one datagram, header included. */
  public SyslogFormat(ZoneId zone, int maxMessage) {
    this.zone = zone;
    this.maxMessage = maxMessage;
  }

  /** The bytes of message text a datagram under {@code ident} has room for. */
  public int room(String ident) {
    return Math.max(Parts.MIN_ROOM, maxMessage - datagramHeader(ident));
  }

  /**
   * {@code <PRI>Mmm dd HH:mm:ss TAG: MSG}, as the C library's syslog(3) writes to /dev/log: no
   * hostname, or the daemon would take it for the tag.
   */
  public String datagram(LogRecord r) {
    return "<" + (FACILITY * 8 + r.severity().code) + ">" + stamp(r) + " " + r.ident() + ": "
        + r.message();
  }

  /** The bytes of a datagram before its message: {@code <PRI>}, the stamp, the tag and ": ". */
  public static int datagramHeader(String ident) {
    return "<142>Mar  9 04:40:03 : ".length() + Parts.utf8Length(ident); // LOCAL1's PRIs have 3 digits
  }

  /** {@code Mmm dd HH:mm:ss HOST TAG: MSG}, as rsyslog's traditional file format. */
  public String fileLine(LogRecord r, String host) {
    return stamp(r) + " " + host + " " + r.ident() + ": " + r.message() + "\n";
  }

  private synchronized String stamp(LogRecord r) {
    long second = r.time().getEpochSecond();
    if (second != stampSecond) {
      stamp = STAMP.format(r.time().atZone(zone));
      stampSecond = second;
    }
    return stamp;
  }
}
