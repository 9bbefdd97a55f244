package org.rmonitor.proc;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.rmonitor.log.Escaper;
import org.rmonitor.log.LineSplitter;
import org.rmonitor.log.Severity;

/**
 * Runs one child process to its end inside one structured scope: the wait for its exit and the
 * drains of its stdout and stderr are the scope's subtasks, and the scope ends only when all three
 * have, that is when the process and every descendant still holding its pipes are done.
 */
public final class ProcessRunner {
  /**
   * The most bytes of one line sent as one syslog message. With escaping at worst four times
   * longer, a part stays under rsyslog's default 8 KiB message limit.
   */
  public static final int MAX_LINE_BYTES = 1900;

  /** A status for a program that could not be started at all, as a shell reports it. */
  public static final int CANNOT_RUN = 127;

  private static final File DEV_NULL = new File("/dev/null");

  private ProcessRunner() {}

  /**
   * Runs {@code command} with {@code env} added to the inherited environment; stdin is /dev/null.
   *
   * @return its exit status, or 128+N when signal N ended it
   */
  public static int run(
      List<String> command, Map<String, String> env, Starter starter, Consumer<Process> started, Lines lines)
      throws InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectInput(DEV_NULL);
    pb.environment().putAll(env);
    Process process;
    try {
      process = starter.start(pb);
      started.accept(process);
    } catch (IOException e) {
      lines.line(Severity.ERR, "cannot run " + command.getFirst() + ": " + e.getMessage());
      return CANNOT_RUN;
    }
    try (Scope scope = Scope.open()) {
      Scope.Subtask<Integer> status = scope.fork(process::waitFor);
      scope.fork(() -> drain(process.getInputStream(), Severity.INFO, lines));
      scope.fork(() -> drain(process.getErrorStream(), Severity.ERR, lines));
      scope.join();
      return status.get(); // the JDK already reports death by signal N as 128+N
    } catch (Scope.FailedException e) {
      throw new IllegalStateException("reading the output of " + command.getFirst(), e.getCause());
    }
  }

  /** Starts a process; the signal relay does it, so that no stop is lost before a child exists. */
  public interface Starter {
    Process start(ProcessBuilder pb) throws IOException;
  }

  private static Void drain(InputStream in, Severity severity, Lines lines) throws IOException {
    LineSplitter splitter =
        new LineSplitter(MAX_LINE_BYTES, b -> lines.line(severity, Escaper.escape(b)));
    byte[] buf = new byte[8192];
    try (in) {
      for (int n; (n = in.read(buf)) > 0; ) splitter.feed(buf, 0, n);
    }
    splitter.finish();
    return null;
  }
}
