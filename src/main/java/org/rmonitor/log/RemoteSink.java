package org.rmonitor.log;

import com.cloudbees.syslog.Facility;
import com.cloudbees.syslog.MessageFormat;
import com.cloudbees.syslog.SyslogMessage;
import com.cloudbees.syslog.sender.AbstractSyslogMessageSender;
import com.cloudbees.syslog.sender.TcpSyslogMessageSender;
import com.cloudbees.syslog.sender.UdpSyslogMessageSender;
import java.io.Closeable;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends records to a remote syslog collector in RFC 5424 format: over UDP one datagram each,
 * over TCP and TLS octet-counted (RFC 5425/6587), so no line can be split or merged on the way.
 * The ident {@code NAME[PID]} becomes APP-NAME NAME and PROCID PID, which a collector writes
 * back as the same tag.
 */
final class RemoteSink implements Sink {
  private static final Pattern IDENT = Pattern.compile("(.+)\\[(\\d+)\\]");
  private static final int APP_NAME_MAX = 48;

  /** After a failure, lines go straight to the fallback for this long before the next try. */
  static final long RETRY_AFTER_NANOS = 10_000_000_000L;

  private final AbstractSyslogMessageSender sender;
  private final String host;
  private final String name;
  private long downSince;
  private boolean down;

  RemoteSink(Destination to, String host) {
    this.host = host;
    this.name = to.toString();
    if (to.kind() == Destination.Kind.UDP) {
      UdpSyslogMessageSender udp = new UdpSyslogMessageSender();
      udp.setSyslogServerHostname(to.host());
      udp.setSyslogServerPort(to.port());
      udp.setMessageFormat(MessageFormat.RFC_5424);
      sender = udp;
    } else {
      TcpSyslogMessageSender tcp = new TcpSyslogMessageSender();
      tcp.setSyslogServerHostname(to.host());
      tcp.setSyslogServerPort(to.port());
      tcp.setSsl(to.kind() == Destination.Kind.TLS);
      tcp.setMessageFormat(MessageFormat.RFC_5425);
      tcp.setSocketConnectTimeoutInMillis(2000);
      tcp.setMaxRetryCount(1);
      sender = tcp;
    }
  }

  /**
   * Sends one record, or fails at once while the collector is known to be down: a script's
   * output must not wait on connect timeouts line after line.
   */
  @Override
  public synchronized void send(LogRecord r) throws IOException {
    if (down && System.nanoTime() - downSince < RETRY_AFTER_NANOS) throw new IOException(name + " is down");
    try {
      sendNow(r);
      down = false;
    } catch (IOException | RuntimeException e) {
      down = true;
      downSince = System.nanoTime();
      throw e instanceof IOException io ? io : new IOException(name + ": " + e.getMessage(), e);
    }
  }

  private void sendNow(LogRecord r) throws IOException {
    Matcher m = IDENT.matcher(r.ident());
    String app = m.matches() ? m.group(1) : r.ident();
    SyslogMessage message =
        new SyslogMessage()
            .withTimestamp(r.time().toEpochMilli())
            .withFacility(Facility.LOCAL1)
            .withSeverity(severity(r.severity()))
            .withHostname(host)
            .withAppName(appName(app))
            .withMsg(r.message());
    if (m.matches()) message.withProcId(m.group(2));
    sender.sendMessage(message);
  }

  private static com.cloudbees.syslog.Severity severity(Severity s) {
    return switch (s) {
      case ERR -> com.cloudbees.syslog.Severity.ERROR;
      case WARNING -> com.cloudbees.syslog.Severity.WARNING;
      case INFO -> com.cloudbees.syslog.Severity.INFORMATIONAL;
    };
  }

  /** RFC 5424: 1 to 48 printable US-ASCII characters. */
  static String appName(String ident) {
    StringBuilder s = new StringBuilder();
    for (char c : ident.toCharArray()) {
      if (s.length() == APP_NAME_MAX) break;
      s.append(c > 32 && c < 127 ? c : '_');
    }
    return s.isEmpty() ? "-" : s.toString();
  }

  @Override
  public void close() throws IOException {
    if (sender instanceof Closeable c) c.close();
  }
}
