package org.rmonitor.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    /**
     * The defaults for a user, computed without touching anything (so {@code --help} creates
     * nothing): root gets its own lock directory and /var/log; another user /var/lock if it may
     * write there, and otherwise, like its fallback file, a directory only it can write
     * ({@link #runtimeDir}, made when a job is launched), never straight into the shared /tmp.
     */
    public static Defaults of(int euid, Map<String, String> env, boolean varLockWritable, String prefix) {
      Path exits = Path.of(prefix, "lib", "rmonitor");
      if (euid == 0) return new Defaults(ROOT_LOCK_DIR, exits, Path.of("/var/log/rmonitor.undelivered"));
      String xdg = env.getOrDefault("XDG_RUNTIME_DIR", "");
      Path runtime = xdg.isEmpty() ? Path.of("/tmp", "rmonitor-" + euid) : Path.of(xdg, "rmonitor");
      return new Defaults(varLockWritable ? Path.of("/var/lock") : runtime, exits, runtime.resolve("rmonitor.undelivered"));
    }

    /** The private directory a non-root user's defaults live in, if any. */
    public Optional<Path> runtimeDir() {
      return fallback.getFileName().toString().equals("rmonitor.undelivered") && !fallback.startsWith("/var/log")
          ? Optional.ofNullable(fallback.getParent())
          : Optional.empty();
    }
  }

  public static final Path DEFAULT_INTERPRETER = Path.of("/bin/sh");
}
