package org.rmonitor.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.rmonitor.log.Destination;

/** Everything one run of rmonitor needs to know, read from its command line and environment. */
public record Options(
    boolean longName,
    List<String> resources,
    Path interpreter,
    Path script,
    List<String> scriptArgs,
    Path lockDir,
    Path exitDir,
    Destination log,
    Path fallback,
    Duration grace,
    Optional<Duration> timeout,
    OverlapPolicy overlap,
    Notice notice) {

  /** The defaults that depend on the machine: who we are, where we are installed. */
  public record Defaults(Path lockDir, Path exitDir, Path fallback) {
    /**
     * Root's lock directory: one that only root can write, created on first use. In the
     * world-writable /var/lock any user could plant {@code rmonitor.R.lock} first, and root's
     * jobs would rightly refuse a file that is not root's: the backup would never run.
     */
    public static final Path ROOT_LOCK_DIR = Path.of("/var/lock/rmonitor");
  }

  public static final Path DEFAULT_INTERPRETER = Path.of("/bin/sh");
}
