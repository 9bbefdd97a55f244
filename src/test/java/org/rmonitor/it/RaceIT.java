package org.rmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Races on one resource, looped: short jobs on one resource launched with a random jitter, two or
 * three alive at a time, so one job's POST meets another's arrival at every possible moment and
 * two arrivals contend for one PREP. The exit logs PREP and POST to the resource's event log and
 * creates a "mounted" marker that POST removes; each target logs START and END and checks the
 * marker at both, and POST looks for targets still running. Replayed, the event log must read
 * PREP, then the START and END of one or more targets, then POST, again and again: exactly one
 * PREP per busy period, never a target outside one, never a POST while a target runs.
 *
 * <p>Four lanes, each its own resource, run at once; they share nothing but the machine.
 * Iterations overlap (each job races the one before and the one after it), so a few hundred
 * jobs make a few hundred iterations: a job costs two JVM starts, the test's whole budget.
 */
class RaceIT extends SandboxTest {
  static final int LANES = 4;
  static final int ITERATIONS_PER_LANE = 50;

  /**
   * The exit: marks itself busy (a second exit of the resource while one runs is a violation),
   * logs its phase, and mounts or unmounts. POST also looks for targets still running.
   */
  private static final String EXIT =
      """
      d="$SANDBOX/$RMONITOR_RESOURCE"
      v() { echo "$RMONITOR_RESOURCE: $*" >> "$SANDBOX/violations"; }
      [ -e "$d/busy" ] && v "$1 of $RMONITOR_PID began while another exit ran"
      touch "$d/busy"
      echo "$1" >> "$d/events"
      case $1 in
      PREP)
        [ -e "$d/mounted" ] && v "PREP of $RMONITOR_PID while mounted"
        touch "$d/mounted" ;;
      POST)
        [ -e "$d/mounted" ] || v "POST of $RMONITOR_PID while not mounted"
        for f in "$d"/running.*; do [ -e "$f" ] && v "POST of $RMONITOR_PID while target ${f##*.} runs"; done
        rm -f "$d/mounted" ;;
      esac
      rm -f "$d/busy"
      """;

  /** The target: $1 is its resource, $2 how long it runs. Marked running before it looks. */
  private static final String TARGET =
      """
      r=$1
      d="$SANDBOX/$r"
      v() { echo "$r: $*" >> "$SANDBOX/violations"; }
      touch "$d/running.$RMONITOR_PID"
      [ -e "$d/mounted" ] || v "target of $RMONITOR_PID started while not mounted"
      echo "START $RMONITOR_PID" >> "$d/events"
      sleep "$2"
      [ -e "$d/mounted" ] || v "target of $RMONITOR_PID ended while not mounted"
      echo "END $RMONITOR_PID" >> "$d/events"
      rm -f "$d/running.$RMONITOR_PID"
      """;

  @Test
  @Timeout(600)
  void onePrepPerBusyPeriodAndNoPostUnderARunningTarget() throws Exception {
    long t0 = System.nanoTime();
    List<String> resources = new ArrayList<>();
    for (int lane = 0; lane < LANES; lane++) {
      String r = "RaceLane" + lane;
      resources.add(r);
      Files.createDirectories(tmp.resolve(r));
      box.exit(r, EXIT);
    }
    AtomicInteger jobs = new AtomicInteger();
    AtomicInteger iterations = new AtomicInteger();
    try (ExecutorService lanes = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> running = new ArrayList<>();
      for (String r : resources) running.add(lanes.submit(() -> lane(r, jobs, iterations)));
      for (Future<?> f : running) f.get();
    }
    long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();

    List<String> violations = new ArrayList<>();
    if (Files.exists(tmp.resolve("violations"))) violations.addAll(Files.readAllLines(tmp.resolve("violations")));
    int periods = 0;
    AtomicInteger shared = new AtomicInteger(); // busy periods of more than one job
    for (String r : resources) {
      periods += busyPeriods(r, Files.readAllLines(tmp.resolve(r).resolve("events")), violations, shared);
      assertThat(box.lockFile(r)).contains("prepared no").doesNotContain("holder", "exit phase");
    }
    List<String> lines = box.awaitJobsEnded(jobs.get());
    System.out.printf(
        "RACE iterations=%d jobs=%d busy_periods=%d shared_periods=%d violations=%d seconds=%d%n",
        iterations.get(), jobs.get(), periods, shared.get(), violations.size(), seconds);
    assertThat(violations).isEmpty();
    assertThat(Sandbox.count(lines, Pattern.compile(": JOB Status 0$"))).isEqualTo(jobs.get());
    assertThat(Sandbox.tagged(lines)).noneMatch(l -> l.contains("WARNING") || l.contains("ERROR"));
  }

  /**
   * A stream of jobs on {@code r}, each launched 0-50 ms after the one before it started (so both
   * arrive together and contend for PREP) or after its launcher returned (so it arrives while
   * the one before runs its target, releases, or runs POST), at most three of the lane's jobs
   * alive at once. A launch that finds one or two of the lane's jobs still alive makes an
   * iteration of two or three jobs racing; the lane goes on until it has had its share.
   */
  private Void lane(String r, AtomicInteger jobs, AtomicInteger iterations) throws Exception {
    Path target = box.script(r.toLowerCase(), r, TARGET);
    List<Future<Launched>> launching = new ArrayList<>();
    List<Launched> launched = new ArrayList<>();
    int raced = 0;
    try (ExecutorService starts = Executors.newVirtualThreadPerTaskExecutor()) {
      while (raced < ITERATIONS_PER_LANE) {
        if (launched.size() + launching.size() > 10 * ITERATIONS_PER_LANE) {
          throw new AssertionError(r + ": too few jobs overlapped: " + raced + " of " + launched.size());
        }
        Launched.await(() -> alive(launching, launched) <= 2, Launched.LAUNCH_TIMEOUT, () -> r + " has at most two jobs alive");
        ThreadLocalRandom random = ThreadLocalRandom.current();
        // Test input, not synchronisation: a start jitter of 0-50 ms and a run of 0-1000 ms.
        Thread.sleep(random.nextInt(51));
        if (alive(launching, launched) > 0) raced++;
        String runFor = String.format(java.util.Locale.ROOT, "%.3f", random.nextInt(1001) / 1000.0);
        Future<Launched> f = starts.submit(() -> Launched.launch(box, List.of(target.toString(), r, runFor)));
        launching.add(f);
        jobs.incrementAndGet();
        if (random.nextInt(3) == 0) f.get(); // else the next one starts with this one
      }
      Launched.await(() -> alive(launching, launched) == 0, Launched.LAUNCH_TIMEOUT, () -> r + ": all jobs over: " + launched);
    }
    iterations.addAndGet(raced);
    return null;
  }

  /** The lane's jobs still launching or running; moves those launched from one list to the other. */
  private static int alive(List<Future<Launched>> launching, List<Launched> launched) {
    for (var it = launching.iterator(); it.hasNext(); ) {
      Future<Launched> f = it.next();
      if (!f.isDone()) continue;
      if (f.state() == Future.State.FAILED) throw new AssertionError("a launch failed", f.exceptionNow());
      launched.add(f.resultNow());
      it.remove();
    }
    return launching.size() + (int) launched.stream().filter(Launched::running).count();
  }

  /**
   * Replays the event log: PREP only when not prepared and PREP, START, END, POST in that order
   * for every busy period, no POST while a target runs. Returns the number of busy periods and
   * counts in {@code shared} those of more than one job.
   */
  static int busyPeriods(String r, List<String> events, List<String> violations, AtomicInteger shared) {
    List<String> found = new ArrayList<>();
    boolean prepared = false;
    int targets = 0;
    int startsInPeriod = 0;
    int periods = 0;
    for (int i = 0; i < events.size(); i++) {
      String e = events.get(i);
      String at = r + " event " + (i + 1) + " (" + e + "): ";
      if (e.equals("PREP")) {
        if (prepared) found.add(at + "PREP while prepared");
        prepared = true;
        startsInPeriod = 0;
        periods++;
      } else if (e.equals("POST")) {
        if (!prepared) found.add(at + "POST while not prepared");
        if (targets != 0) found.add(at + "POST while " + targets + " target(s) run");
        if (startsInPeriod == 0) found.add(at + "a busy period with no target");
        if (startsInPeriod > 1) shared.incrementAndGet();
        prepared = false;
      } else if (e.startsWith("START ")) {
        if (!prepared) found.add(at + "a target started while not prepared");
        targets++;
        startsInPeriod++;
      } else if (e.startsWith("END ")) {
        if (!prepared) found.add(at + "a target ended while not prepared");
        targets--;
      } else {
        found.add(at + "not understood");
      }
    }
    if (prepared) found.add(r + ": left prepared at the end");
    violations.addAll(found);
    return periods;
  }
}
