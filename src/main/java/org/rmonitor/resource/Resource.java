package org.rmonitor.resource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.rmonitor.UserError;

/**
 * One named resource shared by jobs: the first job to want it runs its PREP exit, the last to
 * let go of it runs its POST exit. The lock is held while an exit runs, so every other job wanting
 * the resource waits until it is really prepared or cleaned up.
 *
 * <p>A holder is its whole job, not only its monitor: a monitor killed with SIGKILL leaves its
 * script and the script's children running in its session, and they still use the resource. So
 * POST waits for them. An exit records itself in the state before it runs: whoever next holds
 * the lock and finds that record knows the exit's monitor died in the middle of it, waits for
 * the exit itself to end, and takes the outcome as unknown, that is not prepared.
 */
public final class Resource {
  /** Runs the resource's exit program for one phase and returns its status. */
  public interface Exit {
    int run(Started started) throws InterruptedException;
  }

  /** Told the exit's PID and start time as soon as it runs, so the state can name it. */
  public interface Started {
    void started(long pid, long startTicks);
  }

  /** Where WARNING lines go. */
  public interface Warnings {
    void warn(String message);
  }

  /** What {@link #acquire} returns when a signal ended its wait: no PREP ran, nothing is held. */
  public static final int STOPPED = -1;

  /** How often a wait for another job's processes looks again: /proc has no event to await. */
  static final Duration RECHECK = Duration.ofMillis(250);

  private final String name;
  private final Path lockDir;
  private final Holder self;
  private final Liveness liveness;
  private final Warnings warnings;
  private final BooleanSupplier stop;

  /** {@code stop} becomes true when the job is told to end: every wait here then gives up. */
  public Resource(
      String name, Path lockDir, Holder self, Liveness liveness, Warnings warnings, BooleanSupplier stop) {
    this.name = name;
    this.lockDir = lockDir;
    this.self = self;
    this.liveness = liveness;
    this.warnings = warnings;
    this.stop = stop;
  }

  public String name() {
    return name;
  }

  /**
   * Joins the holders, running PREP first if the resource is not prepared. Returns PREP's status
   * (0 when it did not need to run), or {@link #STOPPED}; unless 0, this job does not hold it.
   */
  public int acquire(Exit prep) throws UserError, IOException, InterruptedException {
    Optional<LockFile> locked = LockFile.acquire(lockDir, name, stop);
    if (locked.isEmpty()) return STOPPED;
    try (LockFile lock = locked.get()) {
      Optional<HolderFile> recovered = recover(lock);
      if (recovered.isEmpty()) return STOPPED;
      HolderFile state = recovered.get();
      List<Holder> holders = holders(state, lock);
      if (!state.prepared()) {
        // A signal that came while this job waited: no PREP is started after it.
        if (stop.getAsBoolean()) return STOPPED;
        int status = runExit(lock, "PREP", false, holders, prep);
        if (status != 0) {
          write(lock, state.with(false, holders, Optional.empty()));
          return status;
        }
      }
      // A resource left prepared by jobs that died is adopted, not prepared twice.
      if (holders.stream().noneMatch(self::is)) holders.add(self);
      write(lock, state.with(true, holders, Optional.empty()));
      return 0;
    }
  }

  /**
   * Leaves the holders; the last holder runs POST and marks the resource not prepared. Returns
   * POST's status, or 0 when others still hold it. When the only holders left are jobs whose
   * monitor died but whose processes run on, it waits for those processes first (giving up,
   * POST left to whoever comes next, when told to stop).
   */
  public int release(Exit post) throws UserError, IOException, InterruptedException {
    boolean told = false;
    while (true) {
      List<Holder> orphaned;
      // Not stoppable: leaving takes the lock only briefly, since no PREP runs while this job
      // holds the resource prepared.
      try (LockFile lock = LockFile.acquire(lockDir, name, () -> false).orElseThrow()) {
        Optional<HolderFile> recovered = recover(lock);
        HolderFile state = recovered.orElseGet(() -> readAgain(lock));
        List<Holder> holders = holders(state, lock);
        holders.removeIf(self::is);
        if (recovered.isEmpty() || !state.prepared()) {
          write(lock, state.with(state.prepared(), holders, state.exit()));
          return 0;
        }
        orphaned = holders.stream().filter(h -> local(h) && !liveness.monitorRuns(h)).toList();
        if (holders.size() > orphaned.size()) { // a live monitor holds it: the last one runs POST
          write(lock, state.with(true, holders, Optional.empty()));
          return 0;
        }
        if (orphaned.isEmpty()) {
          int status = runExit(lock, "POST", true, holders, post);
          write(lock, state.with(false, List.of(), Optional.empty()));
          return status;
        }
        write(lock, state.with(true, holders, Optional.empty()));
      }
      // Only jobs whose monitor died remain, and their processes still use the resource. New
      // jobs may join meanwhile: the lock is not held while waiting.
      if (!told) {
        warnings.warn(
            "WARNING " + name + ": POST waits for processes of job(s) whose monitor died: "
                + String.join("; ", orphaned.stream().map(h -> h + " " + String.join(", ", liveness.processes(h))).toList()));
        told = true;
      }
      while (orphaned.stream().anyMatch(h -> !liveness.processes(h).isEmpty())) {
        if (stop.getAsBoolean()) {
          warnings.warn("WARNING " + name + ": stopped while POST waited; the next job to release it runs POST");
          return 0;
        }
        Thread.sleep(RECHECK); // processes of another session: no event to await
      }
    }
  }

  private HolderFile readAgain(LockFile lock) {
    try {
      return lock.read();
    } catch (UserError | IOException e) {
      return HolderFile.EMPTY;
    }
  }

  /**
   * Reads the state and repairs what a crash left: a state of an earlier boot, or an exit whose
   * monitor died. Empty when told to stop while waiting for such an exit to end.
   */
  private Optional<HolderFile> recover(LockFile lock) throws UserError, IOException, InterruptedException {
    HolderFile state = lock.read();
    if (!state.intact()) {
      warnings.warn(
          "WARNING " + name + ": " + lock.path() + " holds a damaged state; taken as prepared, with "
              + state.holders().size() + " holder(s)");
    }
    if (state.host().equals(liveness.host()) && !state.boot().equals(liveness.boot())) {
      warnings.warn(
          "WARNING " + name + ": " + lock.path() + " is from an earlier boot (" + state.boot()
              + "); taken as not prepared, with no holders");
      state = HolderFile.EMPTY;
      write(lock, state);
    }
    if (state.exit().isEmpty()) return Optional.of(state);
    ExitRun exit = state.exit().get();
    // The exit runs in a session of its own and outlives its monitor: wait for it, so two exits
    // of one resource never run at once. (Its PID is 0 if the monitor died in the moment between
    // starting it and recording it: then there is nothing to wait for.)
    if (local(exit.by()) && exit.pid() != 0 && liveness.runs(exit.pid(), exit.startTicks())) {
      warnings.warn(
          "WARNING " + name + ": the " + exit.phase() + " exit of " + exit.by() + " (PID " + exit.pid()
              + ") runs on after its monitor died; waiting for it to end");
      while (liveness.runs(exit.pid(), exit.startTicks())) {
        if (stop.getAsBoolean()) return Optional.empty();
        Thread.sleep(RECHECK); // a process of another session: no event to await
      }
    }
    warnings.warn(
        "WARNING " + name + ": the " + exit.phase() + " exit of " + exit.by()
            + " was cut short with its monitor; the resource is taken as not prepared");
    state = state.with(false, state.holders(), Optional.empty());
    write(lock, state);
    return Optional.of(state);
  }

  /** Runs an exit, recorded in the state while it runs. */
  private int runExit(LockFile lock, String phase, boolean prepared, List<Holder> holders, Exit exit)
      throws IOException, InterruptedException {
    ExitRun run = new ExitRun(phase, 0, 0, self);
    HolderFile running = HolderFile.EMPTY.with(prepared, holders, Optional.of(run));
    write(lock, running);
    return exit.run(
        (pid, ticks) -> {
          try {
            write(lock, running.with(prepared, holders, Optional.of(run.started(pid, ticks))));
          } catch (IOException e) {
            warnings.warn("WARNING " + name + ": cannot record the running " + phase + " exit in " + lock.path() + ": " + e.getMessage());
          }
        });
  }

  /**
   * The holders that still count: this job, holders on other hosts (this host's /proc cannot
   * judge them), and local jobs with their monitor or any process of their session still
   * running. A holder that is gone is named in a WARNING and dropped, as if it had released.
   */
  private List<Holder> holders(HolderFile state, LockFile lock) {
    List<Holder> kept = new ArrayList<>();
    for (Holder h : state.holders()) {
      boolean earlierBoot = local(h) && !h.boot().isEmpty() && !h.boot().equals(liveness.boot());
      if (h.is(self) || !local(h) || (!earlierBoot && (liveness.monitorRuns(h) || !liveness.processes(h).isEmpty()))) {
        kept.add(h);
      } else {
        warnings.warn(
            "WARNING " + name + ": holder " + h + " since " + h.since()
                + " is gone without releasing; dropped from " + lock.path());
      }
    }
    return kept;
  }

  private boolean local(Holder h) {
    return h.host().isEmpty() || h.host().equals(liveness.host());
  }

  private void write(LockFile lock, HolderFile state) throws IOException {
    lock.write(state.writtenBy(liveness.host(), liveness.boot()), name);
  }
}
