package org.rmonitor.log;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/** Builds the sink for a destination, with the fallback file behind it. */
public final class Sinks {
  /**
   * How long the monitor waits for a vanished log socket before it uses the fallback: the same
   * bound as for a daemon that does not read.
   */
  public static final Duration PATIENCE = Outage.BOUND;

  private Sinks() {}

  /**
   * @param notices makes a line rmonitor adds (the WARNING that starts an outage) a record of the
   *     job's, under its ident
   */
  public static Sink open(Destination to, Path fallbackFile, PrintStream stderr, Function<String, LogRecord> notices) {
    SyslogFormat format = new SyslogFormat(LocalOffset.ofCLibrary(), to.maxMessage());
    String host = hostname();
    FileSink fallback = new FileSink(fallbackFile, format, host);
    return switch (to.kind()) {
      case SYSLOG, UNIX -> new SocketSink(to, format, fallback, PATIENCE, notices);
      case STDERR -> withFallback(new StderrSink(stderr, format, host), fallback, notices, to);
      case FILE -> withFallback(new FileSink(Path.of(to.target()), format, host), fallback, notices, to);
      case UDP, TCP, TLS -> remote(to, host, fallback, notices);
    };
  }

  private static Sink remote(Destination to, String host, FileSink fallback, Function<String, LogRecord> notices) {
    try {
      javax.net.ssl.SSLContext tls = to.kind() == Destination.Kind.TLS ? Tls.context(to.tlsCa()) : null;
      return new RemoteSink(to, host, new Connector(to, tls, Connector.CONNECT_BOUND), fallback, notices);
    } catch (IOException e) {
      // The launcher checked the CA file; it went bad since. Nothing reaches the collector.
      Sink broken =
          new Sink() {
            @Override
            public void send(LogRecord record) throws IOException {
              throw e;
            }
          };
      return withFallback(broken, fallback, notices, to);
    }
  }

  /** A sink that hands a record to the fallback when the first cannot take it. */
  static Sink withFallback(Sink first, FileSink fallback, Function<String, LogRecord> notices, Destination to) {
    return new Sink() {
      private boolean warned;

      @Override
      public synchronized void send(LogRecord record) throws IOException {
        try {
          first.send(record);
        } catch (IOException e) {
          if (!warned) {
            warned = true;
            fallback.send(notices.apply("WARNING log " + to + " failed: " + e.getMessage() + "; lines go to " + fallback.path()));
          }
          fallback.send(record);
        }
      }

      @Override
      public int room(String ident) {
        return first.room(ident);
      }

      @Override
      public void close() throws IOException {
        try (fallback) {
          first.close();
        }
      }
    };
  }

  /** "1 s", "100 ms": a bound as a WARNING names it. */
  static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
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
