package org.rmonitor.log;

import java.io.IOException;

/** Somewhere log records go. */
public interface Sink extends AutoCloseable {
  void send(LogRecord record) throws IOException;

  @Override
  default void close() throws IOException {}
}
