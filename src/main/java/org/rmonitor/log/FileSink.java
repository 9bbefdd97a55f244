package org.rmonitor.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Appends records to a file in rsyslog's traditional format. Opened with O_APPEND and written with
 * one write(2) per line, so several monitors can share one file without tearing lines; never
 * through a symlink, since the directory may be writable by others.
 */
public final class FileSink implements Sink {
  private final Path path;
  private final SyslogFormat format;
  private final String host;
  private FileChannel channel;

  public FileSink(Path path, SyslogFormat format, String host) {
    this.path = path;
    this.format = format;
    this.host = host;
  }

  @Override
  public synchronized void send(LogRecord record) throws IOException {
    if (channel == null) {
      channel =
          FileChannel.open(
              path,
              java.util.Set.of(
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE,
                  StandardOpenOption.APPEND,
                  LinkOption.NOFOLLOW_LINKS),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
    }
    ByteBuffer line = ByteBuffer.wrap(format.fileLine(record, host).getBytes(StandardCharsets.UTF_8));
    while (line.hasRemaining()) channel.write(line);
  }

  public Path path() {
    return path;
  }

  /** Lines are cut as for a local socket, so a file reads the same as syslog would. */
  @Override
  public int room(String ident) {
    return format.room(ident);
  }

  @Override
  public synchronized void close() throws IOException {
    if (channel != null) channel.close();
  }
}
