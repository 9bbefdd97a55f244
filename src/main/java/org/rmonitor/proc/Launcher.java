package org.rmonitor.proc;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts the monitor detached: in a new session (setsid), stdin from /dev/null, stderr into the
 * fallback file (what a JVM that refuses to start says must land where an administrator looks),
 * and nothing of the caller's: cron waits until every holder of its pipe has closed it. Its
 * stdout is a pipe to the launcher, on which it says "up" once it catches signals. The pipe must
 * come from the launcher's own child: the JDK closes a child's output stream as soon as that
 * child exits, so through a short-lived sh in between the "up" would be lost.
 */
public final class Launcher {
  /** What the monitor writes on its stdout once it catches signals. */
  public static final String UP = "up";

  /** The monitor started, or did not: {@code failure} says why. */
  public record Started(long pid, String failure) {}

  private Launcher() {}

  /**
   * Starts {@code command} detached and waits, at most {@code bound}, until it says it is up:
   * only then may the launcher print "Launched", since a TERM sent before the monitor catches
   * signals would kill it silently. A monitor that has not come up by then is killed. With
   * {@code keepStderr} (for {@code --log stderr}) it writes to the caller's stderr instead.
   */
  public static Started detach(List<String> command, boolean keepStderr, Path stderrFile, Duration bound)
      throws IOException {
    List<String> setsid = new ArrayList<>(List.of("setsid"));
    setsid.addAll(command);
    Process p =
        new ProcessBuilder(setsid)
            .redirectInput(new File("/dev/null"))
            .redirectError(keepStderr ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.appendTo(stderrFile.toFile()))
            .start();
    AtomicBoolean up = new AtomicBoolean();
    AtomicBoolean late = new AtomicBoolean();
    // A platform thread: the launcher must not pay for the virtual-thread scheduler's start.
    Thread.ofPlatform().daemon().start(() -> {
      try {
        Thread.sleep(bound); // the bound itself, not synchronisation
      } catch (InterruptedException e) {
        return;
      }
      if (!up.get() && late.compareAndSet(false, true)) p.destroyForcibly();
    });
    List<String> said = new ArrayList<>();
    try (var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.equals(UP) && up.compareAndSet(false, true) && !late.get()) return new Started(p.pid(), null);
        if (said.size() < 5) said.add(line);
      }
    }
    String why = late.get()
        ? "did not come up within " + bound.toSeconds() + " s and was killed"
        : "ended at start";
    return new Started(p.pid(), why + (said.isEmpty() ? "" : " (it said: " + String.join(" / ", said) + ")"));
  }
}
