package org.rmonitor.log;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rmonitor.os.Native;

/**
 * A stand-in for a syslog daemon: a Unix datagram socket bound at a path, read only when the
 * test says so, so it can stop reading (a full disk, a blocked queue) and start again, or die.
 */
public final class DatagramDaemon implements AutoCloseable {
  private final Path path;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment buffer = arena.allocate(65536);
  private int fd;

  public DatagramDaemon(Path path) throws Native.ErrnoException {
    this.path = path;
    this.fd = Native.bindUnix(path.toString(), Native.SOCK_DGRAM);
  }

  /** Everything queued in the socket now, without waiting. */
  public List<String> read() throws Native.ErrnoException {
    List<String> got = new ArrayList<>();
    while (true) {
      long n;
      try {
        n = Native.recv(fd, buffer, Native.MSG_DONTWAIT);
      } catch (Native.ErrnoException e) {
        if (e.errno == Native.EAGAIN) return got;
        throw e;
      }
      got.add(new String(buffer.asSlice(0, n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
    }
  }

  /** Dies as a daemon does: what is queued in its socket is gone with it. */
  @Override
  public void close() throws Exception {
    if (fd >= 0) Native.close(fd);
    fd = -1;
    Files.deleteIfExists(path);
    arena.close();
  }
}
