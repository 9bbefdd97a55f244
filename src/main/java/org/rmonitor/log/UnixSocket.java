package org.rmonitor.log;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import org.rmonitor.os.Native;
import org.rmonitor.os.Native.ErrnoException;

/**
 * A connected Unix socket to a syslog daemon, as syslog(3) uses /dev/log: a datagram socket,
 * or, where the daemon listens on a stream socket (syslog-ng's unix-stream), a stream with each
 * message ended by a NUL byte, as the C library does then. A send waits for room in the daemon's
 * queue for a bounded time only (SO_SNDTIMEO, or MSG_DONTWAIT for no wait at all): the C library
 * blocks for as long as the daemon does not read, and a job behind it would stall all night.
 */
final class UnixSocket implements AutoCloseable {
  private final Arena arena = Arena.ofShared();
  private MemorySegment buffer = arena.allocate(8192);
  /** Used under SocketSink's lock, by one thread at a time. */
  private final Native.Errno errno = Native.Errno.in(arena);
  private int fd = -1;
  private boolean stream;
  /** The SO_SNDTIMEO set on fd, so it is set again only when the bound changes. */
  private Duration bound;

  /** Connects to {@code path}, closing any earlier connection first. */
  void connect(String path) throws ErrnoException {
    closeFd();
    bound = Outage.BOUND;
    try {
      fd = Native.connectUnix(path, Native.SOCK_DGRAM, bound);
      stream = false;
    } catch (ErrnoException e) {
      if (e.errno != Native.EPROTOTYPE) throw e;
      fd = Native.connectUnix(path, Native.SOCK_STREAM, bound);
      stream = true;
    }
  }

  boolean connected() {
    return fd >= 0;
  }

  /**
   * Sends one message, {@code head} then {@code body}, waiting at most {@code within} for the
   * daemon to make room for it.
   *
   * @return false when the daemon took nothing in that time (EAGAIN): it is alive, not reading
   * @throws ErrnoException when the daemon is gone (ECONNREFUSED, ENOTCONN, ...)
   */
  boolean send(byte[] head, byte[] body, Duration within) throws ErrnoException {
    if (fd < 0) throw new ErrnoException("send", Native.ENOTCONN);
    long length = head.length + body.length + (stream ? 1 : 0);
    if (buffer.byteSize() < length) buffer = arena.allocate(length);
    MemorySegment.copy(head, 0, buffer, ValueLayout.JAVA_BYTE, 0, head.length);
    MemorySegment.copy(body, 0, buffer, ValueLayout.JAVA_BYTE, head.length, body.length);
    if (stream) buffer.set(ValueLayout.JAVA_BYTE, length - 1, (byte) 0);
    int flags = Native.MSG_NOSIGNAL;
    if (within.isZero()) {
      flags |= Native.MSG_DONTWAIT;
    } else if (!within.equals(bound)) {
      Native.sendTimeout(fd, within);
      bound = within;
    }
    // Only a stream can take part of a message and leave the rest waiting: a datagram socket needs
    // no clock read (a chatty job sends 150,000 lines a second).
    long start = stream && !within.isZero() ? System.nanoTime() : 0;
    long sent = 0;
    while (sent < length) { // a datagram goes whole; a stream may take it in pieces
      try {
        if (sent > 0 && !within.isZero()) { // the rest of a piece gets what is left of the bound
          Duration left = Duration.ofNanos(Math.max(1_000_000, start + within.toNanos() - System.nanoTime()));
          Native.sendTimeout(fd, left);
          bound = left;
        }
        sent += Native.send(fd, sent == 0 ? buffer : buffer.asSlice(sent), length - sent, flags, errno);
      } catch (ErrnoException e) {
        if (e.errno != Native.EAGAIN) throw e;
        // Half a message on a stream cannot be taken back: end the stream, the daemon drops it.
        if (sent > 0) closeFd();
        return false;
      }
    }
    return true;
  }

  void disconnect() {
    closeFd();
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
