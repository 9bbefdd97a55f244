package org.rmonitor.job;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.rmonitor.UserError;
import org.rmonitor.cli.OverlapPolicy;
import org.rmonitor.log.Severity;
import org.rmonitor.os.Native;
import org.rmonitor.proc.Orphans;
import org.rmonitor.proc.ProcessRunner;
import org.rmonitor.proc.SignalRelay;
import org.rmonitor.proc.ProcStat;
import org.rmonitor.resource.Holder;
import org.rmonitor.resource.Liveness;
import org.rmonitor.resource.ProcLiveness;
import org.rmonitor.resource.LockFile;
import org.rmonitor.resource.Resource;
import org.rmonitor.resource.ResourceConf;

/**
 * The monitor, the session leader of one job: PREP for each resource in listed order, PROCESSING,
 * then POST for each resource held, in reverse order, whatever happened before.
 */
public final class Monitor {
  /** util-linux setsid(1): a child of the JVM is no group leader, so it execs in place, same PID. */
  static final String SETSID = "setsid";

  /**
   * How long an exit's output is still read once the exit itself has ended: what it left
   * running writes late lines within that, and a daemon it started on purpose (sshfs) belongs
   * to the resource and may hold the pipe for hours without holding up the job.
   */
  static final java.time.Duration EXIT_READ_AFTER = java.time.Duration.ofSeconds(2);

  private final Job job;
  private final JobLog log;
  private final SignalRelay signals;

  public Monitor(Job job, JobLog log, SignalRelay signals) {
    this.job = job;
    this.log = log;
    this.signals = signals;
  }

  /** Runs the job and returns its status, after logging {@code JOB Status}. */
  public int run() throws InterruptedException {
    log.monitor(Severity.INFO, "JOB Begins");
    signals.logTo(job.options().grace(), this::warn); // a signal that came earlier is told now
    try {
      Preflight.lockDirectory(job.options()); // checked again: it may have changed since launch
    } catch (UserError e) {
      return refused(e.getMessage(), e.exitCode);
    }
    Optional<LockFile> claim = Optional.empty();
    if (job.options().overlap() != OverlapPolicy.ALLOW) {
      try {
        claim = Overlap.claim(job, log, signals::anyReceived); // true once SIGNAL is logged
      } catch (UserError | java.io.IOException e) {
        return refused(e.getMessage(), UserError.CONFIG);
      }
      if (claim.isEmpty()) {
        int status = stopped() ? 128 + signals.received() : 0;
        log.jobStatus(status);
        return status;
      }
    }
    // The claim on the script, if any, is held until the last line is logged.
    try {
      return phases();
    } finally {
      claim.ifPresent(Monitor::release);
    }
  }

  /** The job cannot begin: one ERROR line naming why, then its last word. */
  private int refused(String why, int status) {
    log.monitor(Severity.ERR, "ERROR " + why);
    log.jobStatus(status);
    return status;
  }

  private static void release(LockFile claim) {
    try {
      claim.close();
    } catch (java.io.IOException e) {
      // the kernel drops the lock when the monitor exits, a moment later
    }
  }

  private int phases() throws InterruptedException {
    JobStatus status = new JobStatus();
    Liveness liveness = new ProcLiveness();
    Holder self =
        new Holder(
            job.pid(),
            ProcStat.of(job.pid()).orElseThrow().startTicks(),
            java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
            liveness.host(),
            liveness.boot(),
            job.path());
    List<String> names = job.options().resources();
    List<Resource> resources = new ArrayList<>();
    for (String name : names) {
      resources.add(new Resource(name, job.options().lockDir(), self, liveness, this::warn, this::notice, signals::anyReceived));
    }
    // What this job holds, PREP'd or only its turn taken: released in reverse listed order.
    Set<Resource> held = new HashSet<>();
    boolean ran = false;
    // Whatever PREP or PROCESSING throws, what is held is released and JOB Status is logged once.
    try {
      // The limits are read as the job starts to ask for its resources: an edit counts from the next job.
      List<OptionalInt> limits = new ArrayList<>();
      int s = step(() -> {
        for (String name : names) limits.add(ResourceConf.read(job.options().exitDir(), name).limit());
        return 0;
      });
      boolean turnsTaken = false;
      for (int i = 0; i < resources.size() && s == 0; i++) {
        Resource r = resources.get(i);
        OptionalInt limit = limits.get(i);
        if (limit.isPresent() && !turnsTaken) {
          s = takeTurns(resources, limits, held);
          turnsTaken = true;
          if (s != 0) break;
        }
        s = step(() -> r.acquire(limit, started -> runExit(r.name(), "PREP", started), started -> runExit(r.name(), "POST", started)));
        // A turn taken is still released when its PREP failed or a stop came first: a release
        // of what this job no longer holds changes nothing.
        if (s == 0) held.add(r);
      }
      if (s != 0 && s != Resource.STOPPED) status.exit(s);
      boolean prepared = s == 0;
      if (prepared && !stopped()) {
        ran = true;
        status.target(processing());
      }
    } catch (RuntimeException | Error e) {
      status.failure(e);
      log.monitor(Severity.ERR, "ERROR rmonitor failed: " + e);
    } finally {
      if (!ran && stopped()) status.stoppedBeforeTarget(signals.received());
      signals.relaying(false);
      for (Resource r : resources.reversed()) {
        if (!held.contains(r)) continue;
        try {
          status.exit(step(() -> r.release(started -> runExit(r.name(), "POST", started))));
        } catch (RuntimeException | Error e) {
          status.failure(e);
          log.monitor(Severity.ERR, "ERROR rmonitor failed releasing " + r.name() + ": " + e);
        }
      }
    }
    int result = status.value();
    log.jobStatus(result);
    return result;
  }

  /**
   * Takes the turn of every resource with a limit before the first PREP of one, in the order of
   * their names, the one order every job shares: a job never holds a limited resource while it
   * waits for another that comes before it, so jobs that list them in opposite orders cannot
   * each hold one and wait for the other all night. Returns 0, {@link Resource#STOPPED} or a
   * step's failure.
   */
  private int takeTurns(List<Resource> resources, List<OptionalInt> limits, Set<Resource> held) throws InterruptedException {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < resources.size(); i++) if (limits.get(i).isPresent()) order.add(i);
    order.sort(java.util.Comparator.comparing(i -> resources.get(i).name()));
    for (int i : order) {
      Resource r = resources.get(i);
      int s = step(() -> r.takeTurn(limits.get(i), started -> runExit(r.name(), "POST", started)));
      if (s != 0) return s;
      held.add(r);
    }
    return 0;
  }

  /** A WARNING or SIGNAL line; none after JOB Status, the job's last word (a late TERM changes nothing). */
  private void warn(String line) {
    if (!log.statusLogged()) log.monitor(Severity.WARNING, line);
  }

  private void notice(String line) {
    log.monitor(Severity.INFO, line);
  }

  private boolean stopped() {
    return signals.received() != 0;
  }

  private int processing() throws InterruptedException {
    log.monitor(Severity.INFO, "PROCESSING Begins");
    List<String> command = new ArrayList<>();
    command.add(job.options().interpreter().toString());
    command.add(job.options().script().toString());
    command.addAll(job.options().scriptArgs());
    List<ProcessRunner.Watcher> watchers = new ArrayList<>(List.of(signals.grace()));
    job.options().timeout().ifPresent(limit -> watchers.add(timeout(limit)));
    subreaper(true);
    try {
      int s =
          ProcessRunner.run(
              command, environment(), signals, new ProcessRunner.Hooks() {
                // Told when the script ends, not once its leftovers' output is drained.
                @Override
                public void exited(int status) throws InterruptedException {
                  Orphans.awaitAll(
                      left ->
                          log.monitor(
                              Severity.WARNING,
                              "WARNING PROCESSING: the script ended with status " + status + "; waiting for "
                                  + left.size() + " process(es) it left running: "
                                  + String.join(", ", left.stream().map(Orphans::describe).toList())));
                }
              },
              new LineOutput(log::target, log.targetRoom()), Optional.empty(), watchers);
      log.monitor(Severity.ofStatus(s), "PROCESSING Status " + s);
      return s;
    } finally {
      subreaper(false);
    }
  }

  /** Ends a target that outruns {@code --timeout} as an operator's {@code kill -TERM} would. */
  private ProcessRunner.Watcher timeout(java.time.Duration limit) {
    return done -> {
      if (done.await(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) return; // in time
      log.monitor(
          Severity.ERR,
          "TIMEOUT PROCESSING ran for " + limit.toString().substring(2).toLowerCase()
              + "; ending it as SIGTERM would");
      signals.stop(Native.SIGTERM);
    };
  }

  /**
   * Runs {@code RESOURCE.exit PHASE} in a session of its own (setsid): what a PREP leaves
   * running on purpose (an sshfs daemon) belongs to the resource, not to this job, and must not
   * make this job count as running once its monitor is gone.
   */
  private int runExit(String resource, String phase, Resource.Started started) throws InterruptedException {
    String prefix = phase + " " + resource + ": ";
    log.monitor(Severity.INFO, prefix + "EXIT Begins");
    Map<String, String> env = new java.util.HashMap<>(environment());
    env.put("RMONITOR_RESOURCE", resource);
    env.put("RMONITOR_PHASE", phase);
    String program = job.options().exitDir().resolve(resource + ".exit").toString();
    int s =
        ProcessRunner.run(
            List.of(SETSID, program, phase),
            env,
            signals,
            new ProcessRunner.Hooks() {
              @Override
              public void started(Process p) {
                ProcStat.of(p.pid()).ifPresent(st -> started.started(p.pid(), st.startTicks()));
              }
            },
            new LineOutput((sev, text) -> log.monitor(sev, prefix + text), log.exitRoom(prefix)),
            Optional.of(EXIT_READ_AFTER),
            List.of(signals.grace()));
    log.monitor(Severity.ofStatus(s), prefix + "EXIT Status  " + s);
    return s;
  }

  private Map<String, String> environment() {
    return Map.of("RMONITOR_JOB", job.path(), "RMONITOR_PID", Long.toString(job.pid()));
  }

  private interface Step {
    int run() throws UserError, java.io.IOException, InterruptedException;
  }

  /** A lock file that cannot be used fails that step with EX_CONFIG, logged, not thrown. */
  private int step(Step step) throws InterruptedException {
    try {
      return step.run();
    } catch (UserError e) {
      log.monitor(Severity.ERR, "ERROR " + e.getMessage());
      return e.exitCode;
    } catch (java.io.IOException e) {
      log.monitor(Severity.ERR, "ERROR " + e.getMessage());
      return UserError.CONFIG;
    }
  }

  private void subreaper(boolean on) {
    try {
      Native.becomeSubreaper(on);
    } catch (Native.ErrnoException e) {
      log.monitor(Severity.WARNING, "WARNING cannot track leftover processes: " + e.getMessage());
    }
  }
}
