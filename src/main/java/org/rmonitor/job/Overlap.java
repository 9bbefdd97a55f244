package org.rmonitor.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rmonitor.UserError;
import org.rmonitor.cli.OverlapPolicy;
import org.rmonitor.log.Severity;
import org.rmonitor.resource.LockFile;

/**
 * {@code --overlap skip|wait}: one run of a script at a time, as cron users do with flock(1). The
 * run holds a lock on {@code LOCK_DIR/rmonitor.job.HASH.lock} (HASH of the script's path, so no
 * file name can be forged from it) for its whole life; the kernel drops it if the monitor dies.
 */
public final class Overlap {
  private static final Pattern MONITOR = Pattern.compile("monitor pid=(\\d+)");

  private Overlap() {}

  public static Path pathOf(Path lockDir, Path script) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(script.toString().getBytes(StandardCharsets.UTF_8));
      return lockDir.resolve("rmonitor.job." + HexFormat.of().formatHex(hash, 0, 8) + ".lock");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }

  /**
   * Claims the script for this run. Empty means another run holds it and this one is to be
   * skipped; with WAIT it waits for that run to end, or
   * until {@code stop}.
   */
  static Optional<LockFile> claim(Job job, JobLog log, java.util.function.BooleanSupplier stop)
      throws UserError, IOException, InterruptedException {
    Path path = pathOf(job.options().lockDir(), job.options().script());
    Optional<LockFile> lock = LockFile.tryAcquire(path);
    if (lock.isEmpty()) {
      String other = holder(path);
      if (job.options().overlap() == OverlapPolicy.SKIP) {
        log.monitor(Severity.WARNING, "OVERLAP skipped: " + job.path() + " is still running" + other);
        return Optional.empty();
      }
      log.monitor(Severity.INFO, "OVERLAP waiting: " + job.path() + " is still running" + other);
      lock = LockFile.acquire(path, stop);
      if (lock.isEmpty()) return lock; // a signal ended the wait
    }
    lock.get()
        .write(
            "# rmonitor: one run at a time of " + job.path() + "\n"
                + "monitor pid=" + job.pid() + " since=" + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "\n");
    return lock;
  }

  /** " as monitor PID", as the lock file says, read without its lock. */
  private static String holder(Path path) {
    try {
      Matcher m = MONITOR.matcher(Files.readString(path, StandardCharsets.UTF_8));
      return m.find() ? " as monitor " + m.group(1) : "";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
