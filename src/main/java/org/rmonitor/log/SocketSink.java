package org.rmonitor.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;
import org.rmonitor.os.Native;

/**
 * Sends records to a local syslog socket, and neither loses them nor stalls the job when the
 * daemon goes away or stops reading.
 *
 * <p>logrotate restarts syslog daemons at night, just when cron.daily runs: a send to a daemon
 * that died fails, and the monitor reconnects for a short while ({@code patience}) before it
 * writes to the fallback file. The datagrams still queued in the dead daemon's socket were "sent"
 * but are gone, so the last few seconds of records are also written to the fallback file on a
 * restart ({@link ReplayWindow}).
 *
 * <p>A daemon that is alive but does not read (full disk, blocked queue) gets each line for at
 * most {@link Outage#BOUND}; then lines go to the fallback file, after one WARNING there, until a
 * probe finds it reading again ({@link Outage}).
 */
public final class SocketSink implements Sink {
  static final Duration RETRY_PAUSE = Duration.ofMillis(50);

  private final String path;
  private final String name;
  private final SyslogFormat format;
  private final FileSink fallback;
  private final Duration patience;
  private final Function<String, LogRecord> notices;
  private final Outage outage;
  private final UnixSocket socket = new UnixSocket();
  private final ReplayWindow recent;
  private boolean connectedOnce;

  /**
   * {@code patience} bounds how long one outage may hold up a line before the fallback;
   * {@code notices} makes the one WARNING of an outage a record of the job's.
   */
  public SocketSink(
      Destination to, SyslogFormat format, FileSink fallback, Duration patience, Function<String, LogRecord> notices) {
    this(to, format, fallback, patience, notices, System::nanoTime);
  }

  SocketSink(
      Destination to,
      SyslogFormat format,
      FileSink fallback,
      Duration patience,
      Function<String, LogRecord> notices,
      java.util.function.LongSupplier nanos) {
    this.path = to.target();
    this.name = to.kind() == Destination.Kind.SYSLOG ? "syslog (" + to.target() + ")" : to.toString();
    this.format = format;
    this.fallback = fallback;
    this.patience = patience;
    this.notices = notices;
    this.outage = new Outage(nanos);
    this.recent = new ReplayWindow(nanos);
  }

  @Override
  public synchronized void send(LogRecord record) throws IOException {
    if (!outage.tryDestination()) {
      fallback.send(record);
      return;
    }
    byte[] body = record.message().getBytes(StandardCharsets.UTF_8);
    String trouble = deliver(format.head(record), body, outage.bound());
    if (trouble == null) {
      outage.delivered();
      recent.add(record); // the one clock read of a line sent
      return;
    }
    if (outage.failed()) {
      fallback.send(
          notices.apply(
              "WARNING log " + name + " " + trouble + "; lines go to " + fallback.path()
                  + " until it takes them again"));
    }
    fallback.send(record);
  }

  /** Sends one datagram, waiting at most {@code bound}: null once it went, else why it did not. */
  private String deliver(byte[] head, byte[] body, Duration bound) throws IOException {
    // Only the first failure of an outage waits for a daemon to come back, and only once there
    // was one: a socket missing from the start (the launcher said so on stderr) is no restart,
    // and waiting for it would only hold up the job's first line.
    Duration restart = outage.mode() == Outage.Mode.DELIVER && connectedOnce ? patience : Duration.ZERO;
    if (!socket.connected()) {
      String why = reconnect(restart);
      if (why != null) return why;
    }
    try {
      return socket.send(head, body, bound) ? null : stuck(bound);
    } catch (Native.ErrnoException e) {
      // The daemon died or restarted: what it still had queued died with it.
      for (LogRecord r : recent.drain()) fallback.send(r);
      String why = reconnect(restart);
      if (why != null) return why;
      try {
        return socket.send(head, body, bound) ? null : stuck(bound);
      } catch (Native.ErrnoException again) {
        socket.disconnect();
        return "failed: " + again.getMessage();
      }
    }
  }

  private static String stuck(Duration bound) {
    return bound.isZero()
        ? "still takes no line"
        : "took no line within " + Sinks.describe(bound) + " (a daemon that stopped reading: full disk, blocked queue?)";
  }

  /** Connects, retrying for {@code within} while the socket is missing; null once connected. */
  private String reconnect(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      try {
        socket.connect(path);
        connectedOnce = true;
        return null;
      } catch (Native.ErrnoException e) {
        if (System.nanoTime() - deadline >= 0) return "cannot be reached: " + e.getMessage();
        try {
          Thread.sleep(RETRY_PAUSE); // polling a path that another process will create
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return "cannot be reached: interrupted";
        }
      }
    }
  }

  @Override
  public int room(String ident) {
    return format.room(ident);
  }

  @Override
  public synchronized void close() throws IOException {
    socket.close();
    fallback.close();
  }
}
