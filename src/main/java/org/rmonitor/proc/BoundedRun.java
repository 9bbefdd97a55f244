package org.rmonitor.proc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rmonitor.log.Escaper;

/**
 * Runs a program that is handed a message on its standard input (sendmail, a notify program) and
 * waits for it a bounded time: past the bound it and its descendants are killed. Only the program
 * itself is waited for, not its pipes: a mail server's sendmail may leave a background delivery
 * process holding them for minutes, and the monitor must not wait for that.
 */
public final class BoundedRun {
  /** How a run ended. */
  public sealed interface Outcome {
    /** It exited with {@code status} (128+N for signal N); {@code output}: its first line, escaped. */
    record Exited(int status, String output) implements Outcome {}

    /** It was still running after {@code bound}, and was killed. */
    record Killed(Duration bound) implements Outcome {}

    /** It could not be started. */
    record NotStarted(String reason) implements Outcome {}
  }

  /** How much of its output is kept to explain a failure. */
  private static final int KEPT_OUTPUT = 4096;

  /** After it exits, how long its output may take to arrive. */
  private static final Duration OUTPUT_GRACE = Duration.ofMillis(500);

  /** strerror in the JDK's message: "error=2, No such ..." or "error: 2 (No such ...)". */
  private static final Pattern ERRNO = Pattern.compile(".*error(?:=\\d+, (.+)|: \\d+ \\((.+)\\))\\s*");

  private BoundedRun() {}

  /** Runs {@code command} with {@code env} added to the inherited environment and {@code input} on its stdin. */
  public static Outcome run(List<String> command, Map<String, String> env, byte[] input, Duration bound)
      throws InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process process;
    try {
      process = Scheduling.start(pb);
    } catch (IOException e) {
      Matcher m = ERRNO.matcher(String.valueOf(e.getMessage()));
      return new Outcome.NotStarted(
          !m.matches() ? String.valueOf(e.getMessage()) : m.group(1) != null ? m.group(1) : m.group(2));
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    // Its own threads: a program that reads no input, or floods its output, blocks them, not us.
    Thread.ofVirtual().name("input of " + command.getFirst()).start(() -> feed(process.getOutputStream(), input));
    Thread reader = Thread.ofVirtual().name("output of " + command.getFirst()).start(() -> drain(process.getInputStream(), output));
    try {
      if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(process);
        return new Outcome.Killed(bound);
      }
      reader.join(OUTPUT_GRACE);
      return new Outcome.Exited(process.exitValue(), firstLine(output));
    } catch (InterruptedException e) {
      kill(process);
      throw e;
    }
  }

  /**
   * SIGKILL to the program and to what it started. The descendants are listed first: once their
   * parent is dead they belong to init and can no longer be found from it. A handle checks the
   * start time before it signals, so a reused PID is left alone.
   */
  private static void kill(Process process) throws InterruptedException {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    process.waitFor(5, TimeUnit.SECONDS);
  }

  private static void feed(OutputStream stdin, byte[] input) {
    try (stdin) {
      stdin.write(input);
    } catch (IOException e) {
      // It exited, or was killed, without reading all of it (EPIPE): its status tells the rest.
    }
  }

  private static void drain(InputStream in, ByteArrayOutputStream kept) {
    byte[] buf = new byte[8192];
    try (in) {
      for (int n; (n = in.read(buf)) > 0; ) {
        synchronized (kept) {
          kept.write(buf, 0, Math.min(n, Math.max(0, KEPT_OUTPUT - kept.size())));
        }
      }
    } catch (IOException e) {
      // the pipe was closed under us; what was read is enough
    }
  }

  /** Its first line that is not blank, escaped as a log line, at most 300 bytes of it. */
  private static String firstLine(ByteArrayOutputStream output) {
    byte[] b;
    synchronized (output) {
      b = output.toByteArray();
    }
    int start = 0;
    for (int i = 0; i <= b.length; i++) {
      if (i < b.length && b[i] != '\n') continue;
      int end = i > start && b[i - 1] == '\r' ? i - 1 : i;
      String line = Escaper.escape(b, start, Math.min(end - start, 300)).strip();
      if (!line.isEmpty()) return line;
      start = i + 1;
    }
    return "";
  }
}
