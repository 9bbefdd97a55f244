package org.rmonitor.log;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;

/** Builds the sink for a destination, with the fallback file behind it. */
public final class Sinks {
  /** How long the monitor waits for a vanished log destination before it uses the fallback. */
  public static final Duration PATIENCE = Duration.ofSeconds(2);

  private Sinks() {}

  public static Sink open(Destination to, Path fallbackFile, PrintStream stderr) {
    SyslogFormat format = new SyslogFormat(ZoneId.systemDefault());
    String host = hostname();
    Sink fallback = new FileSink(fallbackFile, format, host);
    return switch (to.kind()) {
      case SYSLOG, UNIX -> new SocketSink(to.target(), format, fallback, PATIENCE);
      case STDERR -> withFallback(new StderrSink(stderr, format, host), fallback);
      case FILE -> withFallback(new FileSink(Path.of(to.target()), format, host), fallback);
      case UDP, TCP, TLS -> withFallback(new RemoteSink(to, host), fallback);
    };
  }

  /** A sink that hands a record to the fallback when the first cannot take it. */
  static Sink withFallback(Sink first, Sink fallback) {
    return new Sink() {
      @Override
      public synchronized void send(LogRecord record) throws IOException {
        try {
          first.send(record);
        } catch (IOException e) {
          fallback.send(record);
        }
      }

      @Override
      public void close() throws IOException {
        try (fallback) {
          first.close();
        }
      }
    };
  }

  /** The short host name, as syslog daemons write it, without a DNS lookup. */
  public static String hostname() {
    try {
      String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
      int dot = name.indexOf('.');
      return dot > 0 ? name.substring(0, dot) : name.isEmpty() ? "localhost" : name;
    } catch (IOException e) {
      return "localhost";
    }
  }
}
