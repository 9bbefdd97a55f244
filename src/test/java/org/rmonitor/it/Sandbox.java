package org.rmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private world for end-to-end tests: a cron.daily directory of real {@code #!} scripts naming
 * the source tree's bin/rmonitor, an exit directory, a lock directory, and a private rsyslogd
 * the monitors log to. Every monitor launched is killed, with its descendants, in {@link #close}.
 */
public final class Sandbox implements AutoCloseable {
  public static final Path RMONITOR = Path.of(System.getProperty("user.dir"), "bin", "rmonitor");
  private static final Pattern LAUNCHED = Pattern.compile("JOB (\\S+)\\[(\\d+)\\] Launched");
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  public final Path dir;
  public final Path cron;
  public final Path exits;
  public final Path locks;
  public final Path fallback;
  public final Rsyslog syslog;
  private final List<Long> monitors = new ArrayList<>();
  /** Each monitor's start time: PIDs wrap, and close() must not kill a later owner of a PID. */
  private final Map<Long, Long> monitorStarts = new HashMap<>();
  private final List<Process> started = new ArrayList<>();

  public Sandbox(Path dir) throws IOException {
    this(dir, "");
  }

  /** With more rsyslogd inputs, in its configuration language. */
  public Sandbox(Path dir, String extraSyslogInputs) throws IOException {
    this.dir = dir;
    this.cron = Files.createDirectories(dir.resolve("cron.daily"));
    this.exits = Files.createDirectories(dir.resolve("exits"));
    this.locks = Files.createDirectories(dir.resolve("lock"));
    this.fallback = dir.resolve("undelivered");
    this.syslog = Rsyslog.start(Files.createDirectories(dir.resolve("syslog")), extraSyslogInputs);
  }

  /** The environment every rmonitor of this sandbox runs with. */
  public Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("RMONITOR_LOCK_DIR", locks.toString());
    env.put("RMONITOR_EXIT_DIR", exits.toString());
    env.put("RMONITOR_LOG", "unix:" + syslog.socket());
    env.put("RMONITOR_FALLBACK", fallback.toString());
    env.put("SANDBOX", dir.toString());
    // A failing job would mail root through the machine's sendmail, if it has one; MailIT turns it on.
    env.put("RMONITOR_MAIL", "never");
    return env;
  }

  /** Writes an executable file. */
  public static Path executable(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  /** An exit program: a /bin/sh script that gets PREP or POST as $1. */
  public Path exit(String resource, String body) throws IOException {
    return executable(exits.resolve(resource + ".exit"), "#!/bin/sh\n" + body + "\n");
  }

  /** A resource's settings file, {@code EXIT_DIR/RESOURCE.conf}, mode 644 as the jobs require. */
  public Path conf(String resource, String text) throws IOException {
    Path conf = exits.resolve(resource + ".conf");
    Files.writeString(conf, text, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
    return conf;
  }

  /** A cron script whose hashbang runs rmonitor with {@code hashbangArgs}. */
  public Path script(String name, String hashbangArgs, String body) throws IOException {
    return executable(cron.resolve(name), "#!" + RMONITOR + " " + hashbangArgs + "\n" + body + "\n");
  }

  public record Result(int status, String stdout, String stderr) {}

  /** Runs a command to its end (the launcher, or run-parts) and remembers the monitors it launched. */
  public Result run(List<String> command) throws IOException, InterruptedException {
    return run(command, Map.of());
  }

  /** With {@code extraEnv} added to {@link #env}; a variable mapped to null is removed. */
  public Result run(List<String> command, Map<String, String> extraEnv)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().putAll(env());
    // A null value removes the variable: MAILTO unset is not MAILTO="".
    extraEnv.forEach((k, v) -> {
      if (v == null) pb.environment().remove(k);
      else pb.environment().put(k, v);
    });
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    synchronized (started) {
      started.add(p);
    }
    if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      throw new AssertionError(command + " did not return within " + TIMEOUT + "; stderr so far: "
          + Files.readString(err) + "\n" + stuck(p.toHandle()));
    }
    String stderr = Files.readString(err);
    Matcher m = LAUNCHED.matcher(stderr);
    synchronized (monitors) {
      while (m.find()) {
        long pid = Long.parseLong(m.group(2));
        monitors.add(pid);
        org.rmonitor.proc.ProcStat.of(pid).ifPresent(st -> monitorStarts.put(pid, st.startTicks()));
      }
    }
    return new Result(p.exitValue(), Files.readString(out), stderr);
  }

  /**
   * Starts {@code command} (a launcher) with this sandbox's environment and returns at once, its
   * stderr a pipe for the caller to read: a monitor's PID can be known before the launcher's JVM
   * has finished exiting. Killed with its descendants in {@link #close}.
   */
  public Process start(List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().putAll(env());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.redirectOutput(Files.createTempFile(dir, "out", ".txt").toFile());
    Process p = pb.start();
    synchronized (started) {
      started.add(p);
    }
    return p;
  }

  /** What a process that did not return is doing: its tree as ps shows it, and its threads if a JVM. */
  static String stuck(ProcessHandle p) {
    StringBuilder s = new StringBuilder();
    List<String> pids = new ArrayList<>();
    pids.add(Long.toString(p.pid()));
    p.descendants().forEach(d -> pids.add(Long.toString(d.pid())));
    for (List<String> cmd :
        List.of(
            List.of("ps", "-o", "pid,ppid,sid,stat,etime,time,args", "-p", String.join(",", pids)),
            List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(p.pid()), "Thread.print"))) {
      try {
        Process ps = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (ps.waitFor(10, TimeUnit.SECONDS)) s.append(String.join(" ", cmd)).append(":\n").append(text);
        else ps.destroyForcibly();
      } catch (IOException | InterruptedException e) {
        s.append(cmd).append(": ").append(e).append('\n');
      }
    }
    return s.toString();
  }

  /** run-parts as cron runs it; --regex '.*' because Debian's skips names with dots otherwise. */
  public Result runParts() throws IOException, InterruptedException {
    return run(List.of("run-parts", "--regex", ".*", cron.toString()));
  }

  /** Waits until syslog holds {@code n} JOB Status lines, and returns all lines. */
  public List<String> awaitJobsEnded(int n) {
    return syslog.awaitLines(lines -> count(lines, Pattern.compile(": JOB Status -?\\d+$")) >= n, TIMEOUT);
  }

  public List<String> await(Predicate<List<String>> done) {
    return syslog.awaitLines(done, TIMEOUT);
  }

  public static long count(List<String> lines, Pattern p) {
    return lines.stream().filter(l -> p.matcher(l).find()).count();
  }

  /**
   * The text after "HOST " in a traditional-format line: "TAG: MSG". The stamp is 16 characters
   * wide ("Dec  1 00:30:54 "): a day below 10 is padded with a space, so it is not split on spaces.
   */
  public static List<String> tagged(List<String> lines) {
    return lines.stream().map(l -> l.substring(16).split(" ", 2)[1]).toList();
  }

  public List<Long> monitors() {
    synchronized (monitors) {
      return List.copyOf(monitors);
    }
  }

  /** Waits for every launched monitor to exit: after that, nothing of a job runs any more. */
  public void awaitMonitorsGone() {
    for (long pid : monitors()) {
      ProcessHandle.of(pid).ifPresent(p -> {
        try {
          p.onExit().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
          throw new AssertionError("monitor " + pid + " still running", e);
        }
      });
    }
  }

  public String lockFile(String resource) throws IOException {
    return Files.readString(locks.resolve("rmonitor." + resource + ".lock"));
  }

  /**
   * SIGKILLs a monitor and every process of its session (what a job's script leaves behind is
   * no longer the monitor's descendant once the monitor is gone), and waits until they are gone.
   */
  public static void killSession(long monitor) {
    List<ProcessHandle> victims = new ArrayList<>();
    ProcessHandle.of(monitor).ifPresent(victims::add);
    for (var p : org.rmonitor.proc.ProcStat.session(monitor, 0)) ProcessHandle.of(p.pid()).ifPresent(victims::add);
    victims.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : victims) {
      try {
        p.onExit().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new AssertionError("process " + p.pid() + " of session " + monitor + " still running", e);
      }
    }
  }

  @Override
  public void close() {
    List<ProcessHandle> victims = new ArrayList<>();
    Map<Long, Long> starts;
    synchronized (monitors) {
      starts = Map.copyOf(monitorStarts);
    }
    for (long pid : monitors()) {
      // A PID whose start time is not the monitor's is someone else's by now.
      Long since = starts.get(pid);
      if (since == null || !org.rmonitor.proc.ProcStat.running(pid, since)) continue;
      ProcessHandle.of(pid).ifPresent(p -> {
        victims.addAll(p.descendants().toList());
        victims.add(p);
      });
    }
    for (var p : Launched.processesOf(dir)) ProcessHandle.of(p.pid()).ifPresent(victims::add);
    synchronized (started) {
      for (Process p : started) {
        victims.addAll(p.descendants().toList());
        victims.add(p.toHandle());
      }
    }
    victims.forEach(ProcessHandle::destroyForcibly);
    syslog.close();
  }
}
