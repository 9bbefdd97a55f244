package org.rmonitor.log;

import java.io.PrintStream;

/** Writes records to standard error in rsyslog's traditional format. */
public final class StderrSink implements Sink {
  private final PrintStream err;
  private final SyslogFormat format;
  private final String host;

  public StderrSink(PrintStream err, SyslogFormat format, String host) {
    this.err = err;
    this.format = format;
    this.host = host;
  }

  @Override
  public int room(String ident) {
    return format.room(ident);
  }

  @Override
  public synchronized void send(LogRecord record) {
    err.print(format.fileLine(record, host));
    err.flush();
  }
}
