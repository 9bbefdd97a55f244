package org.rmonitor;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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
import org.rmonitor.proc.Scheduling;
import org.rmonitor.proc.Launcher;
import org.rmonitor.proc.SignalRelay;
import org.rmonitor.resource.TrustedPath;

/**
 * Entry point. For a job (what the kernel runs for a {@code #!} line, through bin/rmonitor) this
 * JVM is first the launcher: it checks everything, says "Launched" and answers bin/rmonitor,
 * which returns to run-parts at once; then, detached, it is the job's monitor. The commands
 * {@code status} and {@code report}, help and version answer in the foreground.
 */
public final class Main {
  /** What bin/rmonitor runs when the JVM of a job ended without an answer: the line that says so. */
  static final String NOT_LAUNCHED_FLAG = "--not-launched";
  /** EX_OSERR: the monitor could not be started. */
  static final int OS_ERROR = 71;
  /** EX_SOFTWARE: a bug in rmonitor. */
  static final int SOFTWARE = 70;

  private Main() {}

  public static void main(String[] args) {
    int status = run(args, System.getenv(), System.out, System.err);
    Launcher.answer(System.err, status, false); // unless "Launched" was the answer
    System.exit(status);
  }

  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    try {
      if (args.length > 0 && args[0].equals(NOT_LAUNCHED_FLAG)) {
        return notLaunched(Arrays.asList(args).subList(1, args.length), env, defaults(env), err);
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
      // instanceof, not a pattern switch: its bootstrap spins a class at run time that no AOT
      // cache holds, about 2 ms of every launch.
      Options.Defaults defaults = defaults(env);
      Invocation invocation = parse(Arrays.asList(args), env, defaults);
      if (invocation instanceof Invocation.Run r) return job(r.options(), defaults, err);
      if (invocation instanceof Invocation.Help) {
        out.print(OptionsParser.HELP);
      } else {
        out.println("rmonitor " + version());
      }
      return 0;
    } catch (UserError e) {
      // One line, whatever a hostile path in it holds: control bytes escaped as in the log.
      err.println("rmonitor: " + org.rmonitor.log.Escaper.escape(e.getMessage()));
      return e.exitCode;
    }
  }

  private static Options.Defaults defaults(Map<String, String> env) {
    return Options.Defaults.of(
        TrustedPath.euid(), env, Files.isWritable(Path.of("/var/lock")), prefix(System.getProperty("rmonitor.prefix", "/usr/local")));
  }

  /**
   * The install prefix as bin/rmonitor names it (its directory's parent, as it was called),
   * made absolute with symbolic links resolved, as {@code pwd -P} would: here, not in a
   * subshell of the wrapper's on every launch. A prefix that is not there is kept as named.
   */
  static String prefix(String named) {
    try {
      return Path.of(named).toRealPath().toString();
    } catch (IOException | java.nio.file.InvalidPathException e) {
      return named;
    }
  }

  private static Invocation parse(List<String> args, Map<String, String> env, Options.Defaults defaults)
      throws UserError {
    return OptionsParser.parse(args, env, defaults, Preflight::startsWithHashbang);
  }

  /**
   * The launcher, then the monitor, in one JVM. Everything that can refuse the job is checked
   * while run-parts still listens; then signals are caught, and only then is the PID said.
   */
  private static int job(Options o, Options.Defaults defaults, PrintStream err) throws UserError {
    if (Boolean.getBoolean(org.rmonitor.log.TrainingDaemon.PROPERTY)) org.rmonitor.log.TrainingDaemon.listen(o.log());
    // A non-root user's private directory is made now, when a job is launched, and checked.
    Optional<Path> runtime = defaults.runtimeDir();
    if (runtime.isPresent() && (o.fallback().startsWith(runtime.get()) || o.lockDir().equals(runtime.get()))) {
      TrustedPath.privateDirectory(runtime.get());
    }
    Preflight.check(o, err);
    boolean logToStderr = o.log().kind() == Destination.Kind.STDERR;
    if (!logToStderr) Preflight.fallbackFile(o.fallback());
    // A TERM from here on is acted on once the log is open, never the JVM's silent default death.
    SignalRelay signals = new SignalRelay();
    Job job = Job.of(o, Launcher.pid());
    Instant launched = Instant.now();
    err.println(job.base() + ": JOB " + job.name() + "[" + job.pid() + "] Launched");
    Launcher.answer(err, 0, logToStderr);
    // Nobody read it (the wrapper was killed first): the job was never announced, so it must
    // not run either.
    if (Launcher.piped() && err.checkError()) return OS_ERROR;
    List<String> problems = Launcher.detach(logToStderr ? null : o.fallback());
    Scheduling.batch(); // run-parts has its answer: from here on this JVM is a monitor (see Scheduling)
    return monitor(job, launched, signals, problems, err);
  }

  private static int monitor(Job job, Instant launched, SignalRelay signals, List<String> problems, PrintStream err) {
    Options o = job.options();
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
      problems.forEach(p -> log.monitor(org.rmonitor.log.Severity.WARNING, p));
      try {
        Launcher.leadSession();
      } catch (IOException e) {
        // Without a session of its own, its job's processes could not be told from its caller's.
        log.monitor(org.rmonitor.log.Severity.ERR, "ERROR the monitor cannot lead a session of its own: " + e.getMessage());
        log.jobStatus(OS_ERROR);
        return OS_ERROR;
      }
      try {
        signals.undoIgnored();
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

  /**
   * The JVM that bin/rmonitor started for a job ended without an answer (it refused its flags,
   * was killed, or crashed before main): said on stderr (cron's mail) and logged, since the
   * monitor that would have logged it never ran. What that JVM said is above, on stderr.
   */
  private static int notLaunched(List<String> args, Map<String, String> env, Options.Defaults defaults, PrintStream err)
      throws UserError {
    if (!(parse(args, env, defaults) instanceof Invocation.Run run)) return OS_ERROR;
    Options o = run.options();
    Job job = Job.of(o, 0);
    String line = "JOB " + job.name() + " NOT LAUNCHED: its JVM ended before the monitor began"
        + " (what the JVM said, if anything, is on stderr above)";
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

  static String version() {
    try (InputStream in = Main.class.getResourceAsStream("version.txt")) {
      return in == null ? "unknown" : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
