package org.rmonitor.log;

import java.io.IOException;

/** Somewhere log records go. */
public interface Sink extends AutoCloseable {
  void send(LogRecord record) throws IOException;

  /**
   * The most bytes of message text that one record under {@code ident} may carry, so that the
   * whole message, header included, fits the destination's size limit; longer text must come in
   * parts ({@link Parts}).
   */
  default int room(String ident) {
    return Integer.MAX_VALUE;
  }

  @Override
  default void close() throws IOException {}
}
