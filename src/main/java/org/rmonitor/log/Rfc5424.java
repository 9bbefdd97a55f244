package org.rmonitor.log;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A record as an RFC 5424 message for a remote collector: {@code <PRI>1 TIMESTAMP HOST APP-NAME
 * PROCID - - MSG}. The ident {@code NAME[PID]} becomes APP-NAME NAME and PROCID PID, which a
 * collector writes back as the same tag. The time is UTC with milliseconds; MSG is sent without
 * a BOM, as the escaped text it is.
 */
final class Rfc5424 {
  private static final Pattern IDENT = Pattern.compile("(.+)\\[(\\d+)\\]");
  private static final int APP_NAME_MAX = 48;
  private static final int HOST_MAX = 255;
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final String host;
  private final int maxMessage;

  Rfc5424(String host, int maxMessage) {
    this.host = printable(host, HOST_MAX);
    this.maxMessage = maxMessage;
  }

  byte[] format(LogRecord r) {
    return (header(r.severity(), STAMP.format(r.time()), r.ident()) + r.message()).getBytes(StandardCharsets.UTF_8);
  }

  /** The bytes of message text a message under {@code ident} has room for. */
  int room(String ident) {
    int header = header(Severity.INFO, "2013-03-09T04:40:03.000Z", ident).getBytes(StandardCharsets.UTF_8).length;
    return Math.max(Parts.MIN_ROOM, maxMessage - header);
  }

  private String header(Severity severity, String stamp, String ident) {
    Matcher m = IDENT.matcher(ident);
    String app = appName(m.matches() ? m.group(1) : ident);
    String procId = m.matches() ? m.group(2) : "-";
    return "<" + (SyslogFormat.FACILITY * 8 + severity.code) + ">1 " + stamp + " " + host + " " + app + " " + procId
        + " - - ";
  }

  /** RFC 5424: 1 to 48 printable US-ASCII characters. */
  static String appName(String ident) {
    return printable(ident, APP_NAME_MAX);
  }

  private static String printable(String s, int max) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (out.length() == max) break;
      out.append(c > 32 && c < 127 ? c : '_');
    }
    return out.isEmpty() ? "-" : out.toString();
  }
}
