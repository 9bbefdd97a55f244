package org.rmonitor.resource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
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
 *
 * <p>A resource may have a limit ({@code limit=N} in its {@code .conf}): a job that finds N jobs
 * holding it, or others already waiting, records itself as a waiter and waits for its turn,
 * first come first served. It does not keep the lock while it waits, since the holders need it to
 * leave; it looks again every {@link #TURN_POLL}. A waiter wants the resource: the last holder to
 * leave runs no POST while one is live, so a queued batch costs one PREP and one POST.
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

  /** Where the LIMIT lines of a job waiting for its turn go, at info. */
  public interface Notices {
    void notice(String message);
  }

  /** What {@link #acquire} returns when a signal ended its wait: no PREP ran, nothing is held. */
  public static final int STOPPED = -1;

  /** How often a wait for another job's processes looks again: /proc has no event to await. */
  static final Duration RECHECK = Duration.ofMillis(250);

  /** How often a wait for a dead job's processes scans /proc for its session. */
  static final Duration SESSION_RECHECK = Duration.ofSeconds(1);

  /**
   * How often a job waiting for its turn looks at the state again. Its turn comes when a holder
   * releases, in another process, and no kernel event says so: a POSIX lock cannot be waited for
   * in line, and a waiter blocked on it could not be woken by a signal the JVM handles.
   */
  static final Duration TURN_POLL = Duration.ofMillis(200);

  /** How often a waiting job looks whether it was told to stop: how soon a TERM ends the wait. */
  static final Duration STOP_POLL = Duration.ofMillis(20);

  /** How long a job told to stop tries to take the lock to leave the line before giving up. */
  static final Duration LEAVE_WAIT = Duration.ofMillis(500);

  private final String name;
  private final Path lockDir;
  private final Holder self;
  private final Liveness liveness;
  private final Warnings warnings;
  private final Notices notices;
  private final BooleanSupplier stop;

  /** {@code stop} becomes true when the job is told to end: every wait here then gives up. */
  public Resource(
      String name,
      Path lockDir,
      Holder self,
      Liveness liveness,
      Warnings warnings,
      Notices notices,
      BooleanSupplier stop) {
    this.name = name;
    this.lockDir = lockDir;
    this.self = self;
    this.liveness = liveness;
    this.warnings = warnings;
    this.notices = notices;
    this.stop = stop;
  }

  public String name() {
    return name;
  }

  /** Joins the holders of a resource without a limit; see {@link #acquire(OptionalInt, Exit, Exit)}. */
  public int acquire(Exit prep) throws UserError, IOException, InterruptedException {
    return acquire(OptionalInt.empty(), prep, started -> 0);
  }

  /**
   * Joins the holders, running PREP first if the resource is not prepared. With a {@code limit}
   * and no free place, waits for its turn first (logged as LIMIT lines). Returns PREP's status
   * (0 when it did not need to run), or {@link #STOPPED}; unless 0, this job does not hold it.
   * Told to stop while it waits, the job leaves the line; if the last holder left the resource
   * prepared for it alone, it runs {@code post} before it goes, as the last job wanting it.
   */
  public int acquire(OptionalInt limit, Exit prep, Exit post) throws UserError, IOException, InterruptedException {
    return enter(limit, prep, post);
  }

  /**
   * Waits for its turn as {@link #acquire(OptionalInt, Exit, Exit)} does, and takes it as a
   * holder without PREP: the later {@code acquire} then waits for no turn, and PREPs the resource
   * if nobody has. Returns 0, or {@link #STOPPED}. A job with several limited resources takes
   * all its turns first, in one order that every job shares: two jobs listing {@code A,B} and
   * {@code B,A} would otherwise each hold one and wait all night for the other. While a turn is
   * held the resource stays wanted (no POST); {@link #release} gives it back, PREP'd or not.
   */
  public int takeTurn(OptionalInt limit, Exit post) throws UserError, IOException, InterruptedException {
    return enter(limit, null, post);
  }

  /** Waits for a turn, then holds it, PREP'd first unless {@code prep} is null (a turn only). */
  private int enter(OptionalInt limit, Exit prep, Exit post) throws UserError, IOException, InterruptedException {
    // Its place in line is when it asked, not who took the lock first: polling a lock is no queue.
    Holder asking = self.at(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    long waitingSince = 0; // System.nanoTime() once in line
    while (true) {
      Optional<LockFile> locked = LockFile.acquire(lockDir, name, stop);
      if (locked.isEmpty()) return waitingSince != 0 ? leave(post) : STOPPED;
      try (LockFile lock = locked.get()) {
        Optional<HolderFile> recovered = recover(lock);
        if (recovered.isEmpty()) { // stopped while a dead monitor's exit ran on
          if (waitingSince != 0) leaveLine(lock, readAgain(lock));
          return STOPPED;
        }
        HolderFile state = recovered.get();
        List<Holder> holders = live(state.holders(), "holder", lock);
        List<Holder> waiters = live(state.waiters(), "waiter", lock);
        boolean dropped = holders.size() < state.holders().size() || waiters.size() < state.waiters().size();
        // A signal that came while this job waited: no PREP is started after it, no turn taken.
        if (stop.getAsBoolean()) {
          return waitingSince != 0 ? leave(lock, state, holders, waiters, post) : STOPPED;
        }
        int place = Turns.place(waiters, asking);
        long others = holders.stream().filter(h -> !h.is(self)).count();
        if (others < holders.size() || Turns.mine(limit, others, place)) {
          waiters.removeIf(self::is);
          if (waitingSince != 0) notices.notice(Turns.turn(name, Duration.ofNanos(System.nanoTime() - waitingSince)));
          if (prep != null) return join(lock, state, holders, waiters, prep);
          if (holders.stream().noneMatch(self::is)) holders.add(self);
          write(lock, state.with(state.prepared(), holders, Optional.empty()).withWaiters(waiters));
          return 0;
        }
        // In line, or back in line at its place if a damaged or removed state lost it.
        boolean missing = waiters.stream().noneMatch(self::is);
        if (missing) waiters.add(place, asking);
        if (missing || dropped || !state.intact()) {
          write(lock, state.with(state.prepared(), holders, Optional.empty()).withWaiters(waiters));
        }
        if (waitingSince == 0) {
          waitingSince = System.nanoTime();
          notices.notice(Turns.waiting(name, others, place, limit.getAsInt()));
        }
      }
      if (!pause()) return leave(post);
    }
  }

  /** Under the lock, with its turn: PREP if the resource is not prepared, then hold it. */
  private int join(LockFile lock, HolderFile state, List<Holder> holders, List<Holder> waiters, Exit prep)
      throws IOException, InterruptedException {
    if (!state.prepared()) {
      int status = runExit(lock, "PREP", false, holders, waiters, prep);
      if (status != 0) {
        holders.removeIf(self::is); // its turn, if it took one first, goes with the failed PREP
        write(lock, state.with(false, holders, Optional.empty()).withWaiters(waiters));
        return status;
      }
    }
    // A resource left prepared by jobs that died is adopted, not prepared twice.
    if (holders.stream().noneMatch(self::is)) holders.add(self);
    write(lock, state.with(true, holders, Optional.empty()).withWaiters(waiters));
    return 0;
  }

  /** Sleeps until the next look at the state; false once told to stop. */
  private boolean pause() throws InterruptedException {
    for (long slept = 0; slept < TURN_POLL.toMillis(); slept += STOP_POLL.toMillis()) {
      if (stop.getAsBoolean()) return false;
      Thread.sleep(STOP_POLL); // another process's release: no event to await
    }
    return !stop.getAsBoolean();
  }

  /**
   * Leaves the line after a stop, taking the lock for a moment. If another job keeps the lock
   * (an exit runs), the line is left as it is: this monitor ends now, and the next job drops a
   * waiter that is gone, with a WARNING.
   */
  private int leave(Exit post) throws UserError, IOException, InterruptedException {
    long deadline = System.nanoTime() + LEAVE_WAIT.toNanos();
    Optional<LockFile> locked = LockFile.acquire(lockDir, name, () -> System.nanoTime() > deadline);
    if (locked.isEmpty()) {
      warnings.warn(
          "WARNING " + name + ": stopped while waiting for a turn, and another job keeps the lock; this job's"
              + " place in line is left for the next job to drop");
      return STOPPED;
    }
    try (LockFile lock = locked.get()) {
      Optional<HolderFile> recovered = recover(lock);
      if (recovered.isEmpty()) {
        leaveLine(lock, readAgain(lock));
        return STOPPED;
      }
      HolderFile state = recovered.get();
      return leave(lock, state, live(state.holders(), "holder", lock), live(state.waiters(), "waiter", lock), post);
    }
  }

  /**
   * Under the lock: leaves the line. The last holder kept the resource prepared because this job
   * waited for it; when no holder and no other waiter is left, nobody else will run POST, so
   * this job does: a stop ends waits, not cleanup.
   */
  private int leave(LockFile lock, HolderFile state, List<Holder> holders, List<Holder> waiters, Exit post)
      throws IOException, InterruptedException {
    waiters.removeIf(self::is);
    if (state.prepared() && state.exit().isEmpty() && holders.isEmpty() && waiters.isEmpty()) {
      runExit(lock, "POST", true, holders, waiters, post);
      write(lock, state.with(false, List.of(), Optional.empty()).withWaiters(List.of()));
      return STOPPED;
    }
    write(lock, state.with(state.prepared(), holders, state.exit()).withWaiters(waiters));
    return STOPPED;
  }

  /** Under the lock, an exit of a dead monitor still running: only this job's line goes. */
  private void leaveLine(LockFile lock, HolderFile state) throws IOException {
    List<Holder> waiters = new ArrayList<>(state.waiters());
    if (waiters.removeIf(self::is)) write(lock, state.with(state.prepared(), state.holders(), state.exit()).withWaiters(waiters));
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
        List<Holder> holders = live(state.holders(), "holder", lock);
        holders.removeIf(self::is);
        List<Holder> waiters = live(state.waiters(), "waiter", lock);
        if (recovered.isEmpty() || !state.prepared()) {
          write(lock, state.with(state.prepared(), holders, state.exit()).withWaiters(waiters));
          return 0;
        }
        if (!waiters.isEmpty()) { // jobs waiting for their turn want it: it stays prepared for them
          write(lock, state.with(true, holders, Optional.empty()).withWaiters(waiters));
          return 0;
        }
        orphaned = holders.stream().filter(h -> local(h) && !liveness.monitorRuns(h)).toList();
        if (holders.size() > orphaned.size()) { // a live monitor holds it: the last one runs POST
          write(lock, state.with(true, holders, Optional.empty()).withWaiters(waiters));
          return 0;
        }
        if (orphaned.isEmpty()) {
          int status = runExit(lock, "POST", true, holders, List.of(), post);
          write(lock, state.with(false, List.of(), Optional.empty()).withWaiters(List.of()));
          return status;
        }
        write(lock, state.with(true, holders, Optional.empty()).withWaiters(waiters));
      }
      // Only jobs whose monitor died remain, and their processes still use the resource. New
      // jobs may join meanwhile: the lock is not held while waiting.
      if (!told) {
        warnings.warn(
            "WARNING " + name + ": POST waits for processes of job(s) whose monitor died: "
                + String.join("; ", orphaned.stream().map(h -> h + " " + String.join(", ", liveness.processes(h))).toList()));
        told = true;
      }
      // Finding a session's processes reads all of /proc: once a second is enough for a POST
      // that waits on an rsync, and a stop is still seen within a tenth of a second.
      long next = 0;
      while (true) {
        if (System.nanoTime() - next >= 0) {
          if (orphaned.stream().allMatch(h -> liveness.processes(h).isEmpty())) break;
          next = System.nanoTime() + SESSION_RECHECK.toNanos();
        }
        if (stop.getAsBoolean()) {
          warnings.warn("WARNING " + name + ": stopped while POST waited; the next job to release it runs POST");
          return 0;
        }
        Thread.sleep(100); // processes of another session: no event to await
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
  private int runExit(LockFile lock, String phase, boolean prepared, List<Holder> holders, List<Holder> waiters, Exit exit)
      throws IOException, InterruptedException {
    ExitRun run = new ExitRun(phase, 0, 0, self);
    HolderFile running = HolderFile.EMPTY.withWaiters(waiters).with(prepared, holders, Optional.of(run));
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
   * The holders (or waiters) that still count: this job, those on other hosts (this host's /proc
   * cannot judge them), and local jobs with their monitor or any process of their session still
   * running. One that is gone is named in a WARNING and dropped, as if it had released.
   */
  private List<Holder> live(List<Holder> recorded, String role, LockFile lock) {
    List<Holder> kept = new ArrayList<>();
    for (Holder h : recorded) {
      boolean earlierBoot = local(h) && !h.boot().isEmpty() && !h.boot().equals(liveness.boot());
      if (h.is(self) || !local(h) || (!earlierBoot && (liveness.monitorRuns(h) || !liveness.processes(h).isEmpty()))) {
        kept.add(h);
      } else {
        warnings.warn(
            "WARNING " + name + ": " + role + " " + h + " since " + h.since() + " is gone without "
                + (role.equals("holder") ? "releasing" : "leaving the line") + "; dropped from " + lock.path());
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
