package org.rmonitor.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rmonitor.proc.ProcStat;

/**
 * A monitor that a test launched, named by its PID and start time: PIDs wrap (pid_max may be
 * 32768) and hundreds of jobs come and go in one test, so a bare PID may soon name another
 * process, perhaps another test's monitor. Signals go through a {@link ProcessHandle}, which
 * checks the start time again before it sends one.
 */
record Launched(String name, long pid, long startTicks, ProcessHandle handle) {
  /**
   * How long a launcher may take: two JVM starts, which take far longer than usual on a machine
   * loaded many times over (seen: 28 s at a load average of 45 on two cores).
   */
  static final Duration LAUNCH_TIMEOUT = Duration.ofSeconds(120);

  private static final Pattern LAUNCHED = Pattern.compile("JOB (\\S+)\\[(\\d+)\\] Launched");

  /**
   * Runs {@code command} (a script, run by the kernel through its hashbang) to the launcher's
   * end, and names the monitor it launched. The monitor is named as soon as the launcher prints
   * "Launched": a loaded machine may take longer to end the launcher's JVM than the whole job
   * takes. Safe to call from many threads at once.
   */
  static Launched launch(Sandbox box, List<String> command) throws IOException, InterruptedException {
    Process p = box.start(command);
    AtomicBoolean hung = new AtomicBoolean();
    Thread watchdog = Thread.ofVirtual().start(() -> {
      try {
        if (!p.waitFor(LAUNCH_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          hung.set(true);
          System.err.println(command + " did not return within " + LAUNCH_TIMEOUT + ":\n" + Sandbox.stuck(p.toHandle()));
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        // the test is over: Sandbox.close() kills what is left
      }
    });
    StringBuilder said = new StringBuilder();
    Launched launched = null;
    try (BufferedReader err = p.errorReader(StandardCharsets.UTF_8)) {
      for (String line; (line = err.readLine()) != null; ) {
        said.append(line).append('\n');
        Matcher m = LAUNCHED.matcher(line);
        if (launched == null && m.find()) launched = named(m.group(1), Long.parseLong(m.group(2)), box.dir);
      }
    }
    watchdog.join(); // until the launcher has ended, or was killed as hung
    int status = p.waitFor();
    if (hung.get() || status != 0 || launched == null) {
      throw new AssertionError(command + (hung.get() ? " hung" : " launched nothing: status " + status) + ", stderr: " + said);
    }
    return launched;
  }

  private static Launched named(String name, long pid, Path sandbox) {
    Optional<ProcStat> stat = ProcStat.of(pid).filter(ProcStat::running);
    Optional<ProcessHandle> handle = ProcessHandle.of(pid);
    if (stat.isEmpty() || handle.isEmpty() || !ours(pid, sandbox)) {
      // Over already, between "Launched" and this look: nothing left to signal or to wait for.
      return new Launched(name, pid, -1, null);
    }
    return new Launched(name, pid, stat.get().startTicks(), handle.get());
  }

  /** That very monitor runs (a zombie has ended: PID 1 here may reap it late). */
  boolean running() {
    return startTicks >= 0 && ProcStat.running(pid, startTicks);
  }

  /** kill -TERM, if it still runs; false when it had already ended. */
  boolean term() {
    return running() && handle != null && handle.destroy();
  }

  /** kill -9 of the monitor alone, if it still runs: its job's processes live on in its session. */
  boolean kill() {
    return running() && handle != null && handle.destroyForcibly();
  }

  /** The processes of its session that are this sandbox's (a later session may reuse the PID). */
  List<ProcStat> sessionLeft(Path sandbox) {
    if (startTicks < 0) return List.of();
    return ProcStat.session(pid, startTicks).stream().filter(p -> ours(p.pid(), sandbox)).toList();
  }

  /**
   * The running processes started for {@code sandbox}: every launcher, monitor, script, exit and
   * their children inherit SANDBOX=dir in their environment (see {@link Sandbox#env}).
   */
  static List<ProcStat> processesOf(Path sandbox) {
    List<ProcStat> found = new ArrayList<>();
    try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("[0-9]+"))) {
      for (Path p : proc) {
        long pid = Long.parseLong(p.getFileName().toString());
        if (ours(pid, sandbox)) ProcStat.of(pid).filter(ProcStat::running).ifPresent(found::add);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return found;
  }

  /** True if the process's environment holds SANDBOX={@code sandbox}. */
  static boolean ours(long pid, Path sandbox) {
    try {
      byte[] env = Files.readAllBytes(Path.of("/proc/" + pid + "/environ"));
      String wanted = "SANDBOX=" + sandbox;
      for (String var : new String(env, StandardCharsets.UTF_8).split("\0")) if (var.equals(wanted)) return true;
      return false;
    } catch (IOException | RuntimeException e) {
      return false; // gone, or not ours to read
    }
  }

  /** Describes processes for an assertion message: PID, command line. */
  static String describe(List<ProcStat> processes) {
    List<String> out = new ArrayList<>();
    for (ProcStat p : processes) {
      String cmd;
      try {
        cmd = new String(Files.readAllBytes(Path.of("/proc/" + p.pid() + "/cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').strip();
      } catch (IOException e) {
        cmd = "?";
      }
      out.add(p.pid() + " (session " + p.session() + ", " + p.state() + "): " + cmd);
    }
    return String.join("\n", out);
  }

  /** Polls {@code condition} every 20 ms until it holds; an AssertionError naming {@code what} after {@code timeout}. */
  static void await(BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> what)
      throws InterruptedException {
    await(condition, timeout, Duration.ofMillis(20), what);
  }

  /** Polls every {@code interval}: a condition that reads all of /proc costs the jobs CPU. */
  static void await(
      BooleanSupplier condition, Duration timeout, Duration interval, java.util.function.Supplier<String> what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) throw new AssertionError("timed out after " + timeout + " waiting until " + what.get());
      Thread.sleep(interval); // polling other processes' state: /proc has no event to await
    }
  }
}
