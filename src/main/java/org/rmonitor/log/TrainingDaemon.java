package org.rmonitor.log;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rmonitor.os.Native;

/**
 * A syslog daemon for the AOT cache's training job (bin/train-aot), which the wrapper marks with
 * the system property {@value #PROPERTY}: a datagram socket bound where the job is to log, and
 * read until the JVM exits. The cache then holds what a job that logs to syslog runs, the common
 * case (a monitor that logs to /dev/log: 82 -> 74 ms of CPU), and, from one line written through
 * a file sink beside the socket, what a job that logs to a file runs. A machine that installs
 * rmonitor need not have a syslog daemon, nor any tool to listen on a socket. Never used for a
 * real job: only in the training run, and only where no socket is.
 */
public final class TrainingDaemon {
  public static final String PROPERTY = "rmonitor.training";

  private TrainingDaemon() {}

  public static void listen(Destination log) {
    if (!log.isSocket() || Files.exists(Path.of(log.target()))) return;
    writeFileLine(Path.of(log.target() + ".file"));
    int fd;
    try {
      fd = Native.bindUnix(log.target(), Native.SOCK_DGRAM);
    } catch (Native.ErrnoException e) {
      return; // trained without it: the lines go to the fallback file
    }
    Thread.ofPlatform().daemon().name("training syslog").start(() -> {
      MemorySegment buffer = Arena.ofAuto().allocate(Destination.LOCAL_MAX_MESSAGE);
      try {
        while (true) Native.recv(fd, buffer, 0);
      } catch (Native.ErrnoException e) {
        // closed: the training job's JVM is exiting
      }
    });
  }

  /** One line through a file sink: --log file: and every fallback write it. */
  private static void writeFileLine(Path file) {
    try (FileSink sink = new FileSink(file, new SyslogFormat(LocalOffset.ofCLibrary()), Sinks.hostname())) {
      sink.send(new LogRecord(java.time.Instant.now(), Severity.INFO, "Training[1]", "a line"));
    } catch (java.io.IOException e) {
      // trained without it
    }
  }
}
