package org.rmonitor.log;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** The two text forms of a record: a datagram for a local syslog socket, and a log file line. */
public final class SyslogFormat {
  /** LOG_LOCAL1, as the seed's rmonitor logged. */
  public static final int FACILITY = 17;

  // Always English, written out: a DateTimeFormatter's month names load the JDK's locale data,
  // ~8 ms of a monitor's start.
  private static final String[] MONTHS = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
  };

  private final LocalOffset offset;
  private final int maxMessage;
  // A job logs many lines a second: format each second's stamp once.
  private long stampSecond = Long.MIN_VALUE;
  private String stamp;
  // The last head made for each severity (0-7), and the second and ident it was made for.
  private final byte[][] heads = new byte[8][];
  private final long[] headSecond = new long[8];
  private final String[] headIdent = new String[8];

  public SyslogFormat(LocalOffset offset) {
    this(offset, Destination.LOCAL_MAX_MESSAGE);
  }

  /** {@code maxMessage}: the most bytes of one datagram, header included. */
  public SyslogFormat(LocalOffset offset, int maxMessage) {
    this.offset = offset;
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
    return new String(head(r), StandardCharsets.UTF_8) + r.message();
  }

  /**
   * A datagram's bytes before its message, {@code <PRI>Mmm dd HH:mm:ss TAG: }; not to be changed.
   * The same for every line of a stream within a second, so it is made once a second for each
   * severity (a job's stdout and stderr interleave), not once a line: a chatty job sends 150,000
   * lines a second.
   */
  synchronized byte[] head(LogRecord r) {
    int s = r.severity().code;
    long second = r.time().getEpochSecond();
    if (second != headSecond[s] || !r.ident().equals(headIdent[s])) {
      heads[s] = ("<" + (FACILITY * 8 + s) + ">" + stamp(r) + " " + r.ident() + ": ").getBytes(StandardCharsets.UTF_8);
      headSecond[s] = second;
      headIdent[s] = r.ident();
    }
    return heads[s];
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
      stamp = stamp(second, offset.at(second));
      stampSecond = second;
    }
    return stamp;
  }

  /** "Mar  9 04:40:03": RFC 3164's stamp, the day padded with a space, in local time. */
  static String stamp(long epochSecond, int offsetSeconds) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.ofTotalSeconds(offsetSeconds));
    StringBuilder b = new StringBuilder(15).append(MONTHS[t.getMonthValue() - 1]).append(' ');
    if (t.getDayOfMonth() < 10) b.append(' ');
    b.append(t.getDayOfMonth()).append(' ');
    return twoDigits(twoDigits(twoDigits(b, t.getHour()).append(':'), t.getMinute()).append(':'), t.getSecond()).toString();
  }

  private static StringBuilder twoDigits(StringBuilder b, int n) {
    return b.append((char) ('0' + n / 10)).append((char) ('0' + n % 10));
  }
}
