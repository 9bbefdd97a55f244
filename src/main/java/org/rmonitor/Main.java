package org.rmonitor;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rmonitor.cli.Invocation;
import org.rmonitor.cli.Options;
import org.rmonitor.cli.OptionsParser;
import org.rmonitor.cli.StatusOptions;
import org.rmonitor.cli.UsageException;
import org.rmonitor.job.FailureNotice;
import org.rmonitor.job.Job;
import org.rmonitor.job.JobLog;
import org.rmonitor.job.Monitor;
import org.rmonitor.job.Notifier;
import org.rmonitor.job.Preflight;
import org.rmonitor.job.Recipients;
import org.rmonitor.job.Transcript;
import org.rmonitor.log.Destination;
import org.rmonitor.log.Sink;
import org.rmonitor.log.Sinks;
import org.rmonitor.ops.Report;
import org.rmonitor.ops.Status;
import org.rmonitor.proc.BoundedRun;
import org.rmonitor.proc.Launcher;
import org.rmonitor.proc.SignalRelay;
import org.rmonitor.resource.TrustedPath;

/**
 * Entry point. As the launcher (what the kernel runs for a {@code #!} line) it validates, starts
 * the monitor detached and returns at once; as the monitor ({@code --monitor=LAUNCH_MILLIS} first,
 * never typed by people) it runs the job.
 */
public final class Main {
  static final String MONITOR_FLAG = "--monitor=";
  /** EX_OSERR: the monitor could not be started. */
  static final int OS_ERROR = 71;
  /** EX_SOFTWARE: a bug in rmonitor. */
  static final int SOFTWARE = 70;
  /** How long the launcher waits for the monitor to catch signals (a loaded machine is slow). */
  static final java.time.Duration MONITOR_START = java.time.Duration.ofSeconds(30);

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    try {
      if (args.length > 0 && args[0].startsWith(MONITOR_FLAG)) {
        return monitor(args, env, err);
      }
      // No resource name is this short, so a command word cannot be mistaken for one.
      if (args.length > 0 && args[0].equals("report")) {
        return Report.run(Arrays.asList(args).subList(1, args.length), System.in, out, err);
      }
      if (args.length > 0 && args[0].equals("status")) {
        Options.Defaults defaults = defaults(env);
        StatusOptions so = StatusOptions.parse(Arrays.asList(args).subList(1, args.length));
        String fromEnv = env.getOrDefault("RMONITOR_LOCK_DIR", "");
        Path lockDir = so.lockDir().orElse(fromEnv.isEmpty() ? defaults.lockDir() : Path.of(fromEnv));
        return Status.run(lockDir, defaults, out);
      }
      return switch (parse(Arrays.asList(args), env)) {
        case Invocation.Help h -> {
          out.print(OptionsParser.HELP);
          yield 0;
        }
        case Invocation.Version v -> {
          out.println("rmonitor " + version());
          yield 0;
        }
        case Invocation.Run r -> launch(r.options(), args, err);
      };
    } catch (UserError e) {
      err.println("rmonitor: " + e.getMessage());
      return e.exitCode;
    }
  }

  private static Options.Defaults defaults(Map<String, String> env) {
    return Options.Defaults.of(
        TrustedPath.euid(), env, Files.isWritable(Path.of("/var/lock")), System.getProperty("rmonitor.prefix", "/usr/local"));
  }

  private static Invocation parse(List<String> args, Map<String, String> env) throws UserError {
    return OptionsParser.parse(args, env, defaults(env), Preflight::startsWithHashbang);
  }

  private static int launch(Options o, String[] args, PrintStream err) throws UserError {
    // A non-root user's private directory is made now, when a job is launched, and checked.
    Optional<Path> runtime = defaults(System.getenv()).runtimeDir();
    if (runtime.isPresent() && (o.fallback().startsWith(runtime.get()) || o.lockDir().equals(runtime.get()))) {
      TrustedPath.privateDirectory(runtime.get());
    }
    Preflight.check(o, err);
    if (o.log().kind() != Destination.Kind.STDERR) Preflight.fallbackFile(o.fallback());
    Job job = Job.of(o, 0);
    Launcher.Started started;
    try {
      started = Launcher.detach(
          monitorCommand(args), o.log().kind() == Destination.Kind.STDERR, o.fallback(), MONITOR_START);
    } catch (IOException e) {
      err.println("rmonitor: cannot start the monitor for " + o.script() + ": " + e.getMessage());
      return OS_ERROR;
    }
    long pid = started.pid();
    if (started.failure() != null) {
      // Said on stderr (cron's mail) and logged: the monitor that would have logged it never ran.
      String line = "JOB " + job.name() + "[" + pid + "] NOT LAUNCHED: the monitor " + started.failure()
          + "; its JVM's own words are in " + o.fallback();
      err.println("rmonitor: " + job.base() + ": " + line);
      java.util.function.Function<String, org.rmonitor.log.LogRecord> asLaunchers =
          m -> new org.rmonitor.log.LogRecord(Instant.now(), org.rmonitor.log.Severity.WARNING, job.base(), m);
      try (Sink sink = Sinks.open(o.log(), o.fallback(), err, asLaunchers)) {
        sink.send(new org.rmonitor.log.LogRecord(Instant.now(), org.rmonitor.log.Severity.ERR, job.base(), line));
      } catch (IOException e) {
        err.println("rmonitor: could not log that: " + e.getMessage());
      }
      return OS_ERROR;
    }
    // The syslog copy of this line is sent by the monitor, so the launcher needs no native call.
    err.println(job.base() + ": JOB " + job.name() + "[" + pid + "] Launched");
    return 0;
  }

  /**
   * The same JVM, the same arguments, and the monitor's JVM flags: the file jvm.options that the
   * wrapper names, handed to java as an argument file, so that the launcher reads nothing; and
   * preview features when the wrapper gave them to the launcher (on Java 25 only).
   */
  private static List<String> monitorCommand(String[] args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (Boolean.getBoolean("rmonitor.preview")) cmd.add("--enable-preview");
    String options = System.getProperty("rmonitor.options");
    if (options != null) cmd.add("@" + options);
    String prefix = System.getProperty("rmonitor.prefix");
    if (prefix != null) cmd.add("-Drmonitor.prefix=" + prefix);
    // The monitor's AOT cache, when the wrapper found one trained by this very JDK (or is training
    // it). Its start up to "up" is on run-parts' clock. The cache's own messages must stay off
    // stdout, which is the pipe that says "up"; a cache this JVM cannot use is skipped
    // (AOTMode=auto, the default), never a refusal to start.
    String aot = System.getProperty("rmonitor.monitor.aot");
    if (aot != null && aot.startsWith("-XX:AOTCache")) cmd.addAll(List.of(aot, "-Xlog:aot=off", "-Xlog:cds=off"));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.add(MONITOR_FLAG + System.currentTimeMillis());
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  private static int monitor(String[] args, Map<String, String> env, PrintStream err)
      throws UserError {
    // The first act: catch TERM, HUP and INT, then tell the launcher, which says "Launched" only
    // now. A signal from here on is acted on once the log is open, never a silent death.
    SignalRelay signals = new SignalRelay();
    System.out.print(Launcher.UP + "\n");
    // Nobody read it (the launcher was killed, or gave up on us): the job was never announced,
    // so it must not run either.
    if (System.out.checkError()) return OS_ERROR;
    Instant launched = Instant.ofEpochMilli(Long.parseLong(args[0].substring(MONITOR_FLAG.length())));
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    if (!(parse(rest, env) instanceof Invocation.Run run)) return SOFTWARE;
    Options o = run.options();
    Job job = Job.of(o, ProcessHandle.current().pid());
    try (Sink sink = Sinks.open(o.log(), o.fallback(), err, JobLog.notices(job, org.rmonitor.log.Severity.WARNING))) {
      Transcript transcript = o.notice().wanted() ? Transcript.bounded() : Transcript.off();
      JobLog log = new JobLog(sink, job, err, transcript);
      log.launched(launched);
      // The last word when the JVM exits for any reason but SIGKILL before the job's end.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        if (log.statusLogged()) return;
        log.monitor(org.rmonitor.log.Severity.ERR, "ERROR the monitor is exiting before its job ended");
        log.jobStatus(SOFTWARE);
      }));
      try {
        signals.undoIgnored();
        stdoutToDevNull(log);
        int status = new Monitor(job, log, signals).run();
        notifier(job, log, transcript).after(status);
        return status;
      } catch (InterruptedException e) {
        log.monitor(org.rmonitor.log.Severity.ERR, "ERROR interrupted");
        log.jobStatus(SOFTWARE);
        return SOFTWARE;
      } catch (RuntimeException | Error e) {
        log.monitor(org.rmonitor.log.Severity.ERR, "ERROR rmonitor failed: " + e);
        log.jobStatus(SOFTWARE);
        return SOFTWARE;
      }
    } catch (IOException e) {
      err.println("rmonitor: closing the log: " + e.getMessage());
      return 0;
    }
  }

  /** The failure notice's real helpers: sendmail and notify under a time bound, who we are, where the log is. */
  private static Notifier notifier(Job job, JobLog log, Transcript transcript) {
    Options o = job.options();
    List<String> passwd;
    try {
      passwd = Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8);
    } catch (IOException | java.io.UncheckedIOException e) {
      passwd = List.of();
    }
    return new Notifier(
        job,
        log,
        transcript,
        (command, env, input) -> BoundedRun.run(command, env, input, o.notice().timeout()),
        Sinks.hostname(),
        Recipients.userName(TrustedPath.euid(), passwd, System.getProperty("user.name")),
        FailureNotice.whereToLook(job, o.log(), o.fallback(), Files::exists));
  }

  private static void stdoutToDevNull(JobLog log) {
    try {
      org.rmonitor.os.Native.stdoutToDevNull();
    } catch (org.rmonitor.os.Native.ErrnoException e) {
      log.monitor(org.rmonitor.log.Severity.WARNING, "WARNING stdout stays the launcher's pipe: " + e.getMessage());
    }
  }

  static String version() {
    try (InputStream in = Main.class.getResourceAsStream("version.txt")) {
      return in == null ? "unknown" : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
