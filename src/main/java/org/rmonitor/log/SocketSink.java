package org.rmonitor.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import org.rmonitor.os.Native;

/**
 * Sends records to a local syslog socket, and loses none when the daemon goes away.
 * logrotate restarts syslog daemons at night, just when cron.daily runs: a send to a daemon that
 * died fails, and the monitor reconnects for a short while before it writes to the fallback file.
 * The datagrams still queued in the dead daemon's socket were "sent" but are gone, so the last few
 * seconds of records are also written to the fallback file on a restart: a duplicate is better than
 * a loss.
 */
public final class SocketSink implements Sink {
  static final Duration REPLAY_WINDOW = Duration.ofSeconds(3);
  static final int REPLAY_MAX = 2000;
  static final Duration RETRY_PAUSE = Duration.ofMillis(50);

  private final String path;
  private final SyslogFormat format;
  private final Sink fallback;
  private final Duration patience;
  private final UnixSocket socket = new UnixSocket();
  private final ArrayDeque<LogRecord> recent = new ArrayDeque<>();
  private final ArrayDeque<Instant> recentSent = new ArrayDeque<>();
  private boolean down;

  /** {@code patience} bounds how long one outage may hold up a line before the fallback. */
  public SocketSink(String path, SyslogFormat format, Sink fallback, Duration patience) {
    this.path = path;
    this.format = format;
    this.fallback = fallback;
    this.patience = patience;
  }

  @Override
  public synchronized void send(LogRecord record) throws IOException {
    byte[] datagram = format.datagram(record).getBytes(StandardCharsets.UTF_8);
    if (!socket.connected() && !reconnect(down ? Duration.ZERO : patience)) {
      down = true;
      fallback.send(record);
      return;
    }
    try {
      socket.send(datagram);
    } catch (Native.ErrnoException e) {
      // The daemon died or restarted: what it still had queued died with it.
      replayToFallback();
      if (!reconnect(patience)) {
        down = true;
        fallback.send(record);
        return;
      }
      try {
        socket.send(datagram);
      } catch (Native.ErrnoException again) {
        down = true;
        fallback.send(record);
        return;
      }
    }
    down = false;
    remember(record);
  }

  private boolean reconnect(Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      try {
        socket.connect(path);
        return true;
      } catch (Native.ErrnoException e) {
        if (System.nanoTime() - deadline >= 0) return false;
        try {
          Thread.sleep(RETRY_PAUSE); // polling a path that another process will create
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
  }

  private void remember(LogRecord record) {
    Instant now = Instant.now();
    recent.addLast(record);
    recentSent.addLast(now);
    while (recent.size() > REPLAY_MAX
        || Duration.between(recentSent.peekFirst(), now).compareTo(REPLAY_WINDOW) > 0) {
      recent.removeFirst();
      recentSent.removeFirst();
    }
  }

  private void replayToFallback() throws IOException {
    for (LogRecord r : recent) fallback.send(r);
    recent.clear();
    recentSent.clear();
  }

  @Override
  public synchronized void close() throws IOException {
    socket.close();
    fallback.close();
  }
}
