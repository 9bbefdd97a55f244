package org.rmonitor.proc;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the monitor detached: in a new session, stdin from /dev/null, stdout and stderr not
 * connected to the caller, since cron waits until every holder of its pipe has closed it. A short
 * {@code sh} in between starts it in the background and prints its PID: were the monitor the
 * launcher's own child, the JVM would wait for its reaper thread before exiting, some 300 ms that
 * run-parts would wait too.
 */
public final class Launcher {
  private static final String DETACH = "setsid \"$@\" </dev/null >/dev/null 2>&1 & echo $!";
  /** For {@code --log stderr}: the monitor writes to the caller's stderr, which then waits for it. */
  private static final String DETACH_KEEP_STDERR = "setsid \"$@\" </dev/null >/dev/null & echo $!";

  private Launcher() {}

  /** Starts {@code command} detached and returns its PID, which is the monitor's. */
  public static long detach(List<String> command, boolean keepStderr)
      throws IOException, InterruptedException {
    List<String> sh =
        new ArrayList<>(List.of("/bin/sh", "-c", keepStderr ? DETACH_KEEP_STDERR : DETACH, "sh"));
    sh.addAll(command);
    Process p =
        new ProcessBuilder(sh)
            .redirectInput(new File("/dev/null"))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String pid;
    try (var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))) {
      pid = out.readLine();
    }
    int status = p.waitFor();
    if (status != 0 || pid == null || !pid.matches("[0-9]+")) {
      throw new IOException("could not start the monitor (sh exited " + status + ")");
    }
    return Long.parseLong(pid);
  }
}
