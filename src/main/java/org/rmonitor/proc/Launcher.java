package org.rmonitor.proc;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.rmonitor.os.Native;

/**
 * The JVM's half of a launch. bin/rmonitor starts the JVM in the background (not as its child),
 * stdin /dev/null and stdout and stderr one pipe back to itself; the JVM checks the job, catches
 * signals, says "Launched" and ends what it says with the answer line, with which bin/rmonitor
 * exits. The same JVM then runs on as the job's monitor: one JVM start on run-parts' clock, not
 * two, and a PID that is announced only once a TERM sent to it is acted on.
 *
 * <p>Nothing before the answer may touch {@link Native}: its first downcall costs about 15 ms of
 * CPU, which would be run-parts' to wait.
 */
public final class Launcher {
  /**
   * The system property bin/rmonitor sets when it waits for the answer: a word (a random UUID)
   * that the answer repeats, so that no other line can pass for it.
   */
  static final String PROPERTY = "rmonitor.launch";
  /** The answer: {@code rmonitor-exit NONCE N}, and {@code copy} when bin/rmonitor is to go on copying. */
  public static final String ANSWER = "rmonitor-exit ";

  private static boolean answered;

  private Launcher() {}

  /**
   * This JVM's PID, read from /proc/self: ProcessHandle's class set-up (its reaper's thread pool)
   * would cost the launch half a millisecond, on run-parts' clock.
   */
  public static long pid() {
    try {
      return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/self")).toString());
    } catch (IOException | RuntimeException e) {
      return ProcessHandle.current().pid();
    }
  }

  /** True when bin/rmonitor launched this JVM and waits for its answer on stderr. */
  public static boolean piped() {
    String nonce = System.getProperty(PROPERTY);
    return nonce != null && !nonce.isBlank();
  }

  /**
   * Tells bin/rmonitor how the launch ended, once: it exits {@code status} at once, or with
   * {@code copyRest} (for {@code --log stderr}) after copying the rest of stderr, to the job's end.
   */
  public static synchronized void answer(PrintStream err, int status, boolean copyRest) {
    if (!piped() || answered) return;
    answered = true;
    err.println(ANSWER + System.getProperty(PROPERTY) + " " + status + (copyRest ? " copy" : ""));
    err.flush();
  }

  /**
   * Makes the monitor the leader of a session of its own, after the answer and before it starts
   * any process: the job's processes are then told apart by their session (a holder of a
   * resource is live while any process of its session is), and a hang-up of the caller's
   * terminal or a signal to the caller's group is not the job's.
   */
  public static void leadSession() throws IOException {
    if (piped()) Native.setsid();
  }

  /**
   * Lets go of what the monitor still holds of its caller, after the answer: stdout to /dev/null,
   * stderr to {@code stderrFile} (null: kept, for {@code --log stderr}), where the JVM's own
   * words (a crash, an OutOfMemoryError) must land for an administrator to find; and every other
   * descriptor the caller left open across exec. A pipe of cron's held here would keep cron
   * waiting for the job's end before it mails what the night said. Returns what failed, as lines
   * to log.
   */
  public static List<String> detach(Path stderrFile) {
    List<String> problems = new ArrayList<>();
    if (!piped()) return problems;
    try {
      Native.redirect(1, "/dev/null");
      if (stderrFile != null) Native.redirect(2, stderrFile.toString());
    } catch (Native.ErrnoException e) {
      problems.add("WARNING the monitor's stdout and stderr stay a pipe of the launcher's: " + e.getMessage());
    }
    for (int fd : inherited()) {
      try {
        Native.close(fd);
      } catch (Native.ErrnoException e) {
        problems.add("WARNING a descriptor the caller left open stays open: " + e.getMessage());
      }
    }
    return problems;
  }

  /**
   * The descriptors above stderr that came in across exec and can keep a caller waiting: pipes,
   * sockets and terminals without close-on-exec. The JVM opens none of those kinds for itself
   * before the monitor starts its job, and what it opens later is close-on-exec (the JDK's
   * files are not, so files are left alone: holding one keeps nobody waiting).
   */
  static List<Integer> inherited() {
    List<Integer> fds = new ArrayList<>();
    try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
      for (Path link : open.toList()) {
        int fd = Integer.parseInt(link.getFileName().toString());
        if (fd <= 2) continue;
        try {
          String to = Files.readSymbolicLink(link).toString();
          boolean waitedOn = to.startsWith("pipe:") || to.startsWith("socket:") || to.startsWith("/dev/pts/")
              || to.startsWith("/dev/tty") || to.equals("/dev/console");
          if (waitedOn && !closeOnExec(fd)) fds.add(fd);
        } catch (IOException | NumberFormatException e) {
          // gone meanwhile (the listing's own descriptor)
        }
      }
    } catch (IOException e) {
      // no /proc: nothing to judge by
    }
    return fds;
  }

  private static boolean closeOnExec(int fd) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
      if (line.startsWith("flags:")) return (Integer.parseInt(line.substring(6).strip(), 8) & Native.O_CLOEXEC) != 0;
    }
    return false;
  }

}
