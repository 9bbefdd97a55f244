package org.rmonitor.log;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.rmonitor.os.Native;
import org.rmonitor.os.Native.ErrnoException;

/**
 * A connected Unix socket to a syslog daemon, as syslog(3) uses /dev/log: a datagram socket,
 * or, where the daemon listens on a stream socket (syslog-ng's unix-stream), a stream with each
 * message ended by a NUL byte, as the C library does then.
 */
final class UnixSocket implements AutoCloseable {
  private final Arena arena = Arena.ofShared();
  private MemorySegment buffer = arena.allocate(8192);
  private int fd = -1;
  private boolean stream;

  /** Connects to {@code path}, closing any earlier connection first. */
  void connect(String path) throws ErrnoException {
    closeFd();
    try {
      fd = Native.connectUnix(path, Native.SOCK_DGRAM);
      stream = false;
    } catch (ErrnoException e) {
      if (e.errno != Native.EPROTOTYPE) throw e;
      fd = Native.connectUnix(path, Native.SOCK_STREAM);
      stream = true;
    }
  }

  boolean connected() {
    return fd >= 0;
  }

  /** Sends one message; blocks while the daemon's queue is full rather than drop it. */
  void send(byte[] message) throws ErrnoException {
    if (fd < 0) throw new ErrnoException("send", Native.ENOTCONN);
    long length = message.length + (stream ? 1 : 0);
    if (buffer.byteSize() < length) buffer = arena.allocate(length);
    MemorySegment.copy(message, 0, buffer, ValueLayout.JAVA_BYTE, 0, message.length);
    if (stream) buffer.set(ValueLayout.JAVA_BYTE, message.length, (byte) 0);
    long sent = 0;
    while (sent < length) { // a datagram goes whole; a stream may take it in pieces
      sent += Native.send(fd, buffer.asSlice(sent), length - sent, Native.MSG_NOSIGNAL);
    }
  }

  private void closeFd() {
    if (fd < 0) return;
    try {
      Native.close(fd);
    } catch (ErrnoException e) {
      // the descriptor is released whatever close(2) says
    }
    fd = -1;
  }

  @Override
  public void close() {
    closeFd();
    arena.close();
  }
}
