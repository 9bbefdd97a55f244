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
  public record Defaults(Path lockDir, Path exitDir, Path fallback) {}

  public static final Path DEFAULT_INTERPRETER = Path.of("/bin/sh");
}
