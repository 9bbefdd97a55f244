package org.rmonitor.resource;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The resource protocol with fake exits and a fake liveness source, on a real lock directory. */
@Timeout(30)
class ResourceTest {
  @TempDir Path dir;

  /** What the fake /proc says: running monitors, session processes, running exits. */
  static final class FakeLiveness implements Liveness {
    final Set<Long> monitors = ConcurrentHashMap.newKeySet();
    final Map<Long, List<String>> processes = new ConcurrentHashMap<>();
    final Set<Long> exits = ConcurrentHashMap.newKeySet();
    /** For a test that must decide the moment a monitor dies: asked instead of {@code monitors}. */
    final Map<Long, java.util.function.BooleanSupplier> judged = new ConcurrentHashMap<>();

    @Override
    public String host() {
      return "here";
    }

    @Override
    public String boot() {
      return "boot2";
    }

    @Override
    public boolean monitorRuns(Holder h) {
      if (judged.containsKey(h.pid())) return judged.get(h.pid()).getAsBoolean();
      return monitors.contains(h.pid());
    }

    @Override
    public List<String> processes(Holder h) {
      return processes.getOrDefault(h.pid(), List.of());
    }

    @Override
    public boolean runs(long pid, long startTicks) {
      return exits.contains(pid);
    }
  }

  final FakeLiveness live = new FakeLiveness();
  final List<String> warnings = new CopyOnWriteArrayList<>();
  final List<String> notices = new CopyOnWriteArrayList<>();
  final List<String> ran = new CopyOnWriteArrayList<>();
  final AtomicBoolean stop = new AtomicBoolean();

  Holder holder(long pid) {
    return new Holder(pid, pid * 10, Instant.parse("2026-11-30T04:40:00Z"), "here", "boot2", "cron.daily/job" + pid);
  }

  Resource as(long pid) {
    live.monitors.add(pid);
    return new Resource("UsbBackup", dir, holder(pid), live, warnings::add, line -> notices.add(pid + " " + line), stop::get);
  }

  /** Acquires with {@code limit} in a thread of its own: it may wait for its turn. */
  CompletableFuture<Integer> acquiring(Resource r, int limit) {
    CompletableFuture<Integer> result = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try {
        result.complete(r.acquire(OptionalInt.of(limit), exit("PREP", 0), exit("POST", 0)));
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  Resource.Exit exit(String phase, int status) {
    return started -> {
      ran.add(phase);
      return status;
    };
  }

  HolderFile state() throws Exception {
    return HolderFile.parse(Files.readString(LockFile.pathOf(dir, "UsbBackup")));
  }

  void plant(HolderFile state) throws Exception {
    Files.writeString(LockFile.pathOf(dir, "UsbBackup"), state.format("UsbBackup"));
  }

  @Test
  void theFirstJobPreparesTheLastCleansUpAndOthersOnlyJoinAndLeave() throws Exception {
    Resource a = as(1);
    Resource b = as(2);
    assertThat(a.acquire(exit("PREP", 0))).isZero();
    assertThat(b.acquire(exit("PREP", 0))).isZero();
    assertThat(state().holders()).containsExactly(holder(1), holder(2));
    assertThat(a.release(exit("POST", 0))).isZero();
    assertThat(state().prepared()).isTrue();
    assertThat(b.release(exit("POST", 5))).isEqualTo(5);
    assertThat(ran).containsExactly("PREP", "POST");
    assertThat(state().prepared()).isFalse();
    assertThat(state().host()).isEqualTo("here");
    assertThat(state().boot()).isEqualTo("boot2");
  }

  @Test
  void aFailedPrepKeepsTheLiveHoldersAndTheNextJobTriesAgain() throws Exception {
    plant(new HolderFile(false, List.of(holder(1))));
    live.monitors.add(1L);
    assertThat(as(2).acquire(exit("PREP", 3))).isEqualTo(3);
    assertThat(state().prepared()).isFalse();
    assertThat(state().holders()).containsExactly(holder(1));
    assertThat(as(3).acquire(exit("PREP", 0))).isZero();
    assertThat(ran).containsExactly("PREP", "PREP");
  }

  @Test
  void aFailedPostStillMarksTheResourceNotPrepared() throws Exception {
    Resource a = as(1);
    a.acquire(exit("PREP", 0));
    assertThat(a.release(exit("POST", 4))).isEqualTo(4);
    assertThat(state()).isEqualTo(HolderFile.EMPTY.with(false, List.of(), Optional.empty()).writtenBy("here", "boot2"));
  }

  @Test
  void aJobAlreadyListedIsNotListedTwice() throws Exception {
    live.monitors.add(1L);
    plant(new HolderFile(true, List.of(holder(1))));
    as(1).acquire(exit("PREP", 0));
    assertThat(state().holders()).containsExactly(holder(1));
    assertThat(ran).isEmpty();
  }

  @Test
  void aDeadHolderWithoutProcessesIsDroppedAndItsPreparedResourceAdopted() throws Exception {
    plant(new HolderFile(true, List.of(holder(9))));
    Resource a = as(1);
    assertThat(a.acquire(exit("PREP", 0))).isZero();
    assertThat(warnings).singleElement().asString().contains("holder cron.daily/job9[9]", "is gone without releasing");
    assertThat(a.release(exit("POST", 0))).isZero();
    assertThat(ran).containsExactly("POST");
  }

  @Test
  void aDeadHolderWhoseJobRunsOnDelaysPostUntilItsProcessesEnd() throws Exception {
    plant(new HolderFile(true, List.of(holder(9))));
    live.processes.put(9L, List.of("4711 (rsync)"));
    Resource a = as(1);
    a.acquire(exit("PREP", 0));
    assertThat(state().holders()).as("a job with processes counts").containsExactly(holder(9), holder(1));
    Thread releasing = releaseInBackground(a);
    awaitWarning("POST waits for processes of job(s) whose monitor died: cron.daily/job9[9] 4711 (rsync)");
    assertThat(ran).as("no POST under a running rsync").isEmpty();
    assertThat(state().holders()).containsExactly(holder(9));
    live.processes.remove(9L);
    releasing.join();
    assertThat(ran).containsExactly("POST");
    assertThat(state().prepared()).isFalse();
  }

  @Test
  void aJobThatArrivesWhilePostWaitsJoinsAndRunsPostItself() throws Exception {
    plant(new HolderFile(true, List.of(holder(9))));
    live.processes.put(9L, List.of("4711 (rsync)"));
    Resource a = as(1);
    a.acquire(exit("PREP", 0));
    Thread releasing = releaseInBackground(a);
    awaitWarning("POST waits");
    Resource b = as(2);
    assertThat(b.acquire(exit("PREP", 0))).isZero();
    live.processes.remove(9L);
    releasing.join();
    assertThat(ran).as("b holds it: a leaves without POST").isEmpty();
    b.release(exit("POST", 0));
    assertThat(ran).containsExactly("POST");
  }

  @Test
  void aStopEndsTheWaitForADeadHoldersProcessesWithoutPost() throws Exception {
    plant(new HolderFile(true, List.of(holder(9))));
    live.processes.put(9L, List.of("4711 (rsync)"));
    Resource a = as(1);
    a.acquire(exit("PREP", 0));
    stop.set(true);
    assertThat(a.release(exit("POST", 0))).isZero();
    assertThat(ran).isEmpty();
    assertThat(state().prepared()).isTrue();
    assertThat(state().holders()).containsExactly(holder(9));
  }

  @Test
  void aStopBeforePrepStartsNone() throws Exception {
    stop.set(true);
    assertThat(as(1).acquire(exit("PREP", 0))).isEqualTo(Resource.STOPPED);
    assertThat(ran).isEmpty();
  }

  @Test
  void aHolderOnAnotherHostIsNeverJudgedByThisHostsProc() throws Exception {
    Holder remote = new Holder(9, 90, Instant.parse("2026-11-30T04:40:00Z"), "elsewhere", "bootX", "cron.daily/nfs");
    plant(new HolderFile(true, List.of(remote)));
    Resource a = as(1);
    a.acquire(exit("PREP", 0));
    assertThat(a.release(exit("POST", 0))).isZero();
    assertThat(ran).isEmpty();
    assertThat(state().holders()).containsExactly(remote);
    assertThat(warnings).isEmpty();
  }

  @Test
  void aStateFromAnEarlierBootMeansNothingPrepared() throws Exception {
    Holder old = new Holder(1, 10, Instant.parse("2026-11-29T04:40:00Z"), "here", "boot1", "cron.daily/old");
    plant(new HolderFile(true, List.of(old)).writtenBy("here", "boot1"));
    live.monitors.add(1L); // PID 1 runs again in this boot: it is not that job
    Resource a = as(2);
    assertThat(a.acquire(exit("PREP", 0))).isZero();
    assertThat(ran).containsExactly("PREP");
    assertThat(warnings).singleElement().asString().contains("is from an earlier boot (boot1)");
    assertThat(state().holders()).containsExactly(holder(2));
  }

  @Test
  void aHolderOfAnEarlierBootIsDeadWhateverItsPid() throws Exception {
    Holder old = new Holder(1, 10, Instant.parse("2026-11-29T04:40:00Z"), "here", "boot1", "cron.daily/old");
    plant(new HolderFile(true, List.of(old)).writtenBy("elsewhere", "bootX"));
    live.monitors.add(1L);
    Resource a = as(2);
    a.acquire(exit("PREP", 0));
    assertThat(state().holders()).containsExactly(holder(2));
  }

  @Test
  void aTornStateIsTakenAsPreparedSoNoPostRunsUnderItsHolders() throws Exception {
    String full = new HolderFile(false, List.of(holder(7))).format("UsbBackup");
    Files.writeString(LockFile.pathOf(dir, "UsbBackup"), full.substring(0, full.indexOf("end crc32")));
    live.monitors.add(7L);
    Resource a = as(1);
    a.acquire(exit("PREP", 0));
    assertThat(ran).isEmpty();
    assertThat(warnings).singleElement().asString().contains("holds a damaged state; taken as prepared, with 1 holder(s)");
    assertThat(state().intact()).isTrue();
    assertThat(state().holders()).containsExactly(holder(7), holder(1));
  }

  @Test
  void anEmptyOrGarbledFileDoesNotStopAJob() throws Exception {
    Files.writeString(LockFile.pathOf(dir, "UsbBackup"), "");
    assertThat(as(1).acquire(exit("PREP", 0))).isZero();
    Files.writeString(LockFile.pathOf(dir, "UsbBackup"), "\u0001garbage\n");
    assertThat(as(2).acquire(exit("PREP", 0))).isZero();
    assertThat(ran).containsExactly("PREP");
  }

  @Test
  void anInterruptedPrepIsWaitedForAndItsOutcomeTakenAsNotPrepared() throws Exception {
    plant(HolderFile.EMPTY.with(true, List.of(), Optional.of(new ExitRun("PREP", 555, 5, holder(9)))).writtenBy("here", "boot2"));
    live.exits.add(555L);
    Resource a = as(1);
    AtomicBoolean overlapped = new AtomicBoolean();
    Thread acquiring = Thread.ofVirtual().start(() -> {
      try {
        a.acquire(started -> {
          overlapped.set(live.exits.contains(555L));
          ran.add("PREP");
          return 0;
        });
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    awaitWarning("the PREP exit of cron.daily/job9[9] (PID 555) runs on after its monitor died; waiting for it to end");
    assertThat(ran).isEmpty();
    live.exits.remove(555L);
    acquiring.join();
    assertThat(overlapped).as("two exits of one resource at once").isFalse();
    assertThat(ran).containsExactly("PREP");
    assertThat(warnings).anyMatch(w -> w.contains("was cut short with its monitor; the resource is taken as not prepared"));
    assertThat(state().exit()).isEmpty();
  }

  @Test
  void anInterruptedPostLeavesTheResourceNotPreparedNeverAdopted() throws Exception {
    plant(HolderFile.EMPTY.with(true, List.of(), Optional.of(new ExitRun("POST", 556, 5, holder(9)))).writtenBy("here", "boot2"));
    as(1).acquire(exit("PREP", 0));
    assertThat(ran).containsExactly("PREP");
  }

  @Test
  void theRunningExitIsRecordedWithItsPid() throws Exception {
    as(1).acquire(started -> {
      started.started(4242, 42);
      try {
        ran.add(state().exit().orElseThrow().toString());
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
      return 0;
    });
    assertThat(ran).singleElement().asString().contains("PREP", "4242", "42");
    assertThat(state().exit()).isEmpty();
  }

  @Test
  void withALimitOfOneTheNextJobWaitsForItsTurnAndKeepsTheResourcePreparedSoTheBatchCostsOnePrepAndOnePost() throws Exception {
    Resource a = as(1);
    Resource b = as(2);
    assertThat(a.acquire(OptionalInt.of(1), exit("PREP", 0), exit("POST", 0))).isZero();
    CompletableFuture<Integer> second = acquiring(b, 1);
    await(notices, "2 LIMIT UsbBackup: waiting, 1 job(s) running, 0 waiting ahead (limit 1)");
    assertThat(state().holders()).containsExactly(holder(1));
    assertThat(state().waiters()).extracting(Holder::pid).containsExactly(2L);
    assertThat(second).isNotDone();
    assertThat(a.release(exit("POST", 0))).as("a waiter wants it: no POST").isZero();
    assertThat(second.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(notices).contains("2 LIMIT UsbBackup: turn after 0s");
    assertThat(state().holders()).containsExactly(holder(2));
    assertThat(state().waiters()).isEmpty();
    assertThat(b.release(exit("POST", 0))).isZero();
    assertThat(ran).containsExactly("PREP", "POST");
    assertThat(warnings).isEmpty();
  }

  @Test
  void waitersTakeTheirTurnsInTheOrderTheyAsked() throws Exception {
    Resource a = as(1);
    a.acquire(OptionalInt.of(1), exit("PREP", 0), exit("POST", 0));
    CompletableFuture<Integer> b = acquiring(as(2), 1);
    await(notices, "2 LIMIT UsbBackup: waiting, 1 job(s) running, 0 waiting ahead (limit 1)");
    CompletableFuture<Integer> c = acquiring(as(3), 1);
    await(notices, "3 LIMIT UsbBackup: waiting, 1 job(s) running, 1 waiting ahead (limit 1)");
    assertThat(state().waiters()).extracting(Holder::pid).containsExactly(2L, 3L);
    a.release(exit("POST", 0));
    assertThat(b.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(c).as("one at a time").isNotDone();
    assertThat(state().holders()).containsExactly(holder(2));
    as(2).release(exit("POST", 0));
    assertThat(c.get(10, TimeUnit.SECONDS)).isZero();
    as(3).release(exit("POST", 0));
    assertThat(notices.stream().filter(n -> n.contains("turn")).map(n -> n.split(" ")[0])).containsExactly("2", "3");
    assertThat(ran).containsExactly("PREP", "POST");
  }

  @Test
  void aJobTakesItsPlaceByWhenItAskedNotByWhenItGotTheLock() throws Exception {
    // Polling a lock is no queue: a job that asked earlier may get the lock later.
    live.monitors.add(7L);
    Holder later = holder(7).at(Instant.now().plusSeconds(3600));
    plant(new HolderFile(true, List.of(holder(1))).withWaiters(List.of(later)));
    live.monitors.add(1L);
    CompletableFuture<Integer> b = acquiring(as(2), 1);
    await(notices, "2 LIMIT UsbBackup: waiting, 1 job(s) running, 0 waiting ahead (limit 1)");
    assertThat(state().waiters()).extracting(Holder::pid).containsExactly(2L, 7L);
    stop.set(true);
    assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo(Resource.STOPPED);
  }

  @Test
  void withALimitOfTwoTwoJobsHoldItAndTheThirdWaits() throws Exception {
    Resource a = as(1);
    assertThat(a.acquire(OptionalInt.of(2), exit("PREP", 0), exit("POST", 0))).isZero();
    assertThat(as(2).acquire(OptionalInt.of(2), exit("PREP", 0), exit("POST", 0))).isZero();
    CompletableFuture<Integer> c = acquiring(as(3), 2);
    await(notices, "3 LIMIT UsbBackup: waiting, 2 job(s) running, 0 waiting ahead (limit 2)");
    a.release(exit("POST", 0));
    assertThat(c.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(state().holders()).containsExactly(holder(2), holder(3));
    assertThat(notices).noneMatch(n -> n.startsWith("1 ") || n.startsWith("2 "));
  }

  @Test
  void aDeadWaiterIsDroppedWithAWarningAndKeepsNothingPrepared() throws Exception {
    plant(new HolderFile(true, List.of(holder(1))).withWaiters(List.of(holder(9))));
    Resource a = as(1);
    Resource b = as(2);
    CompletableFuture<Integer> second = acquiring(b, 1);
    await(notices, "2 LIMIT UsbBackup: waiting, 1 job(s) running, 0 waiting ahead (limit 1)");
    assertThat(warnings).singleElement().asString()
        .contains("waiter cron.daily/job9[9] since 2026-11-30T04:40:00Z is gone without leaving the line; dropped from");
    assertThat(state().waiters()).extracting(Holder::pid).containsExactly(2L);
    a.release(exit("POST", 0));
    second.get(10, TimeUnit.SECONDS);
    b.release(exit("POST", 0));
    assertThat(ran).as("adopted, then cleaned up once").containsExactly("POST");
    // A waiter that is gone wants nothing: the last holder runs POST.
    live.monitors.add(3L);
    plant(new HolderFile(true, List.of(holder(3))).withWaiters(List.of(holder(9))));
    as(3).release(exit("POST", 0));
    assertThat(ran).containsExactly("POST", "POST");
    assertThat(state().waiters()).isEmpty();
  }

  @Test
  void aStopWhileWaitingLeavesTheLineAtOnceAndTheHolderIsUntouched() throws Exception {
    Resource a = as(1);
    a.acquire(OptionalInt.of(1), exit("PREP", 0), exit("POST", 0));
    CompletableFuture<Integer> second = acquiring(as(2), 1);
    await(notices, "2 LIMIT UsbBackup: waiting");
    long told = System.nanoTime();
    stop.set(true);
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(Resource.STOPPED);
    assertThat(System.nanoTime() - told).as("at once").isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
    assertThat(state().waiters()).isEmpty();
    assertThat(state().holders()).containsExactly(holder(1));
    assertThat(notices).noneMatch(n -> n.contains("turn"));
    assertThat(a.release(exit("POST", 0))).isZero();
    assertThat(ran).containsExactly("PREP", "POST");
  }

  @Test
  void aStoppedWaiterThatIsTheLastToWantAPreparedResourceRunsItsPost() throws Exception {
    // The holder dies at the very moment the waiter is told to stop: nobody else will clean up.
    AtomicBoolean armed = new AtomicBoolean();
    live.judged.put(9L, () -> {
      if (!armed.get()) return true;
      stop.set(true);
      return false;
    });
    plant(new HolderFile(true, List.of(holder(9))));
    CompletableFuture<Integer> waiting = acquiring(as(2), 1);
    await(notices, "2 LIMIT UsbBackup: waiting, 1 job(s) running, 0 waiting ahead (limit 1)");
    armed.set(true);
    assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(Resource.STOPPED);
    assertThat(ran).containsExactly("POST");
    assertThat(state().prepared()).isFalse();
    assertThat(state().holders()).isEmpty();
    assertThat(state().waiters()).isEmpty();
  }

  @Test
  void aStopBeforeTheFirstLookStartsNothingAndJoinsNoLine() throws Exception {
    as(1).acquire(OptionalInt.of(1), exit("PREP", 0), exit("POST", 0));
    stop.set(true);
    assertThat(as(2).acquire(OptionalInt.of(1), exit("PREP", 0), exit("POST", 0))).isEqualTo(Resource.STOPPED);
    assertThat(state().waiters()).isEmpty();
    assertThat(notices).isEmpty();
  }

  @Test
  void aWaiterWhoseTurnFindsTheResourceNotPreparedRunsPrepAndTheNextTakesItPrepared() throws Exception {
    // A holder listed in a state that is not prepared: what a failed PREP of another job leaves.
    live.monitors.add(1L);
    plant(new HolderFile(false, List.of(holder(1))));
    CompletableFuture<Integer> b = acquiring(as(2), 1);
    await(notices, "2 LIMIT UsbBackup: waiting");
    CompletableFuture<Integer> c = acquiring(as(3), 1);
    await(notices, "3 LIMIT UsbBackup: waiting");
    live.monitors.remove(1L); // the holder ends without a word: dropped as gone
    assertThat(b.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(c).isNotDone();
    assertThat(ran).containsExactly("PREP");
    as(2).release(exit("POST", 0));
    assertThat(c.get(10, TimeUnit.SECONDS)).isZero();
    assertThat(ran).as("the third takes it prepared").containsExactly("PREP");
  }

  @Test
  void aTurnIsHeldWithoutPrepKeepsOthersInLineAndTheLaterAcquirePrepsAtOnce() throws Exception {
    Resource a = as(1);
    assertThat(a.takeTurn(OptionalInt.of(1), exit("POST", 0))).isZero();
    assertThat(state().holders()).containsExactly(holder(1));
    assertThat(state().prepared()).isFalse();
    assertThat(ran).isEmpty();
    CompletableFuture<Integer> b = acquiring(as(2), 1);
    await(notices, "2 LIMIT UsbBackup: waiting, 1 job(s) running, 0 waiting ahead (limit 1)");
    assertThat(a.acquire(OptionalInt.of(1), exit("PREP", 0), exit("POST", 0))).isZero();
    assertThat(notices).noneMatch(n -> n.startsWith("1 "));
    assertThat(state().holders()).containsExactly(holder(1));
    assertThat(state().prepared()).isTrue();
    assertThat(b).isNotDone();
    a.release(exit("POST", 0));
    assertThat(b.get(10, TimeUnit.SECONDS)).isZero();
    as(2).release(exit("POST", 0));
    assertThat(ran).containsExactly("PREP", "POST");
    assertThat(warnings).isEmpty();
  }

  @Test
  void aFailedPrepAfterATurnGivesTheTurnUpAndTheNextTakesIt() throws Exception {
    Resource a = as(1);
    a.takeTurn(OptionalInt.of(1), exit("POST", 0));
    CompletableFuture<Integer> b = acquiring(as(2), 1);
    await(notices, "2 LIMIT UsbBackup: waiting");
    assertThat(a.acquire(OptionalInt.of(1), exit("PREP", 3), exit("POST", 0))).isEqualTo(3);
    assertThat(b.get(10, TimeUnit.SECONDS)).as("the next tries PREP again").isZero();
    assertThat(state().holders()).containsExactly(holder(2));
    assertThat(a.release(exit("POST", 0))).as("nothing of job 1 is left to release").isZero();
    assertThat(state().holders()).containsExactly(holder(2));
    assertThat(ran).containsExactly("PREP", "PREP");
    as(2).release(exit("POST", 0));
    assertThat(ran).containsExactly("PREP", "PREP", "POST");
  }

  @Test
  void aTurnGivenBackUnpreparedRunsNoPost() throws Exception {
    Resource a = as(1);
    a.takeTurn(OptionalInt.of(1), exit("POST", 0));
    assertThat(a.release(exit("POST", 0))).isZero();
    assertThat(ran).isEmpty();
    assertThat(state().holders()).isEmpty();
  }

  @Test
  void aStopWhileWaitingForATurnTakesNone() throws Exception {
    as(1).acquire(OptionalInt.of(1), exit("PREP", 0), exit("POST", 0));
    CompletableFuture<Integer> turn = new CompletableFuture<>();
    Resource b = as(2);
    Thread.ofVirtual().start(() -> {
      try {
        turn.complete(b.takeTurn(OptionalInt.of(1), exit("POST", 0)));
      } catch (Throwable e) {
        turn.completeExceptionally(e);
      }
    });
    await(notices, "2 LIMIT UsbBackup: waiting");
    stop.set(true);
    assertThat(turn.get(10, TimeUnit.SECONDS)).isEqualTo(Resource.STOPPED);
    assertThat(state().holders()).containsExactly(holder(1));
    assertThat(state().waiters()).isEmpty();
  }

  /** Releases in a thread of its own: the release waits for a dead holder's processes. */
  private Thread releaseInBackground(Resource r) {
    return Thread.ofVirtual().start(() -> {
      try {
        r.release(exit("POST", 0));
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
  }

  private void awaitWarning(String text) throws InterruptedException {
    await(warnings, text);
  }

  private static void await(List<String> lines, String text) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (lines.stream().noneMatch(w -> w.contains(text))) {
      if (System.nanoTime() > deadline) throw new AssertionError("no line " + text + " in " + lines);
      Thread.sleep(5); // polling another thread's progress
    }
  }
}
