package org.rmonitor.log;

import java.io.IOException;

/** One open connection to a remote collector, written to by one thread. */
interface Connection {
  /** Writes one frame; blocks while the collector does not read. */
  void write(byte[] frame) throws IOException;

  /** Drops the connection at once, from any thread: a write in progress fails. */
  void abort();

  /** Ends the connection as the protocol asks (TLS: close_notify). */
  void close();
}
