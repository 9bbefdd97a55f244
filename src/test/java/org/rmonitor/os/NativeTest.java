package org.rmonitor.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every C function of the facade through its one linked shape, against the real C library:
 * int results cut to their low half (a failure is -1, not 4294967295), pointer results whole,
 * pointer arguments as the addresses of native segments, errno and strerror's words.
 */
class NativeTest {
  private static final int EBADF = 9;
  private static final int ENOENT = 2;

  @Test
  void anIntResultOfMinusOneIsAFailureWithErrnoAndTheCLibrarysWords() {
    assertThatThrownBy(() -> Native.close(987654))
        .isInstanceOfSatisfying(Native.ErrnoException.class, e -> assertThat(e.errno).isEqualTo(EBADF))
        .hasMessage("close(987654): Bad file descriptor");
    assertThat(Native.strerror(Native.ESRCH)).isEqualTo("No such process");
  }

  @Test
  void aThreadMovesBetweenOtherAndBatchAndOnlyThatThreadChanges() throws Exception {
    // A platform thread of its own: the policy is the OS thread's, and this one ends with the test.
    var seen = new java.util.concurrent.CopyOnWriteArrayList<Object>();
    Thread t = Thread.ofPlatform().start(() -> {
      try {
        int before = Native.schedPolicy(0);
        Native.setSchedPolicy(0, Native.SCHED_BATCH);
        seen.add(before);
        seen.add(Native.schedPolicy(0));
        seen.add(org.rmonitor.proc.ProcStat.fields(Files.readString(Path.of("/proc/thread-self/stat")))[41 - 3]);
        Native.setSchedPolicy(0, Native.SCHED_OTHER);
        seen.add(Native.schedPolicy(0));
      } catch (Exception e) {
        seen.add(e);
      }
    });
    t.join();
    assertThat(seen).containsExactly(Native.SCHED_OTHER, Native.SCHED_BATCH, "3", Native.SCHED_OTHER);
    assertThat(Native.schedPolicy(0)).isEqualTo(Native.SCHED_OTHER);
    assertThatThrownBy(() -> Native.setSchedPolicy(0, 1)).isInstanceOf(IllegalArgumentException.class); // SCHED_FIFO
    assertThatThrownBy(() -> Native.schedPolicy(987654321))
        .isInstanceOfSatisfying(Native.ErrnoException.class, e -> assertThat(e.errno).isEqualTo(Native.ESRCH));
  }

  @Test
  void aCallersOwnErrnoSlotGetsTheErrno() {
    try (Arena arena = Arena.ofConfined()) {
      Native.Errno slot = Native.Errno.in(arena);
      MemorySegment one = arena.allocate(1);
      assertThatThrownBy(() -> Native.send(987654, one, 1, 0, slot))
          .isInstanceOfSatisfying(Native.ErrnoException.class, e -> assertThat(e.errno).isEqualTo(EBADF))
          .hasMessage("send: Bad file descriptor");
      assertThatThrownBy(() -> Native.send(987654, one, 2, 0, slot)).isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void eachThreadReadsItsOwnErrnoWhileOthersFailDifferently() throws Exception {
    // errno is left in a segment per thread: threads failing at once must not see each other's.
    try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < 8; t++) {
        boolean badFd = t % 2 == 0;
        done.add(threads.submit(() -> {
          for (int i = 0; i < 2000; i++) {
            try {
              if (badFd) {
                Native.close(987654);
              } else {
                Native.connectUnix("/nonexistent/" + i, Native.SOCK_DGRAM);
              }
              throw new AssertionError("the call succeeded");
            } catch (Native.ErrnoException e) {
              assertThat(e.errno).isEqualTo(badFd ? EBADF : ENOENT);
            }
          }
          return null;
        }));
      }
      for (var f : done) f.get(60, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void aPipeCarriesADatagramSentWithTheAddressOfANativeBuffer() throws Exception {
    int[] fds = Native.pipe();
    try (Arena arena = Arena.ofConfined()) {
      assertThat(fds[0]).isGreaterThan(2);
      assertThat(fds[1]).isGreaterThan(2).isNotEqualTo(fds[0]);
      MemorySegment out = arena.allocateFrom("hello", StandardCharsets.US_ASCII);
      // send(2) is for sockets: on a pipe it fails with ENOTSOCK, decoded, not a crash.
      assertThatThrownBy(() -> Native.send(fds[1], out, 5, 0, Native.Errno.in(arena)))
          .isInstanceOfSatisfying(Native.ErrnoException.class, e -> assertThat(e.getMessage()).startsWith("send: "));
    } finally {
      Native.close(fds[0]);
      Native.close(fds[1]);
    }
  }

  @Test
  void aUnixDatagramSocketDeliversWhatWasSent(@TempDir Path dir) throws Exception {
    String path = dir.resolve("s").toString();
    int server = Native.bindUnix(path, Native.SOCK_DGRAM);
    int client = Native.connectUnix(path, Native.SOCK_DGRAM, java.time.Duration.ofSeconds(1));
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment message = arena.allocateFrom("<14>a line", StandardCharsets.US_ASCII);
      assertThat(Native.send(client, message, 10, Native.MSG_NOSIGNAL, Native.Errno.in(arena))).isEqualTo(10);
      MemorySegment buffer = arena.allocate(100);
      assertThat(Native.recv(server, buffer, 0)).isEqualTo(10);
      assertThat(buffer.getString(0, StandardCharsets.US_ASCII)).isEqualTo("<14>a line");
      assertThatThrownBy(() -> Native.send(client, message, 100, 0, Native.Errno.in(arena))).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> Native.send(client, MemorySegment.ofArray(new byte[10]), 10, 0, Native.Errno.in(arena)))
          .isInstanceOf(IllegalArgumentException.class);
    } finally {
      Native.close(client);
      Native.close(server);
    }
  }

  @Test
  void aNameTooLongForAUnixSocketIsRefusedBeforeAnyCall() {
    assertThatThrownBy(() -> Native.connectUnix("/" + "x".repeat(120), Native.SOCK_DGRAM))
        .isInstanceOfSatisfying(Native.ErrnoException.class, e -> assertThat(e.errno).isEqualTo(Native.ENAMETOOLONG));
  }

  @Test
  void killTellsAProcessThatIsGoneFromOneThatGotTheSignal() throws Exception {
    Process p = new ProcessBuilder("sleep", "60").start();
    try {
      assertThat(Native.kill(p.pid(), Native.SIGTERM)).isTrue();
      assertThat(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(128 + Native.SIGTERM);
      Native.reap(p.pid()); // the JDK reaped it already: ECHILD is no error
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void redirectPointsADescriptorAtAFileForAppending(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "kept\n");
    int[] fds = Native.pipe();
    try {
      Native.redirect(fds[1], file.toString());
      Native.close(fds[1]);
      assertThat(Files.readString(file)).isEqualTo("kept\n");
      assertThatThrownBy(() -> Native.redirect(fds[1], dir.resolve("missing").toString()))
          .hasMessageStartingWith("open(" + dir.resolve("missing") + "): No such file or directory");
    } finally {
      Native.close(fds[0]);
    }
  }

  @Test
  void signalAndPrctlSucceed() throws Exception {
    Native.defaultAction(Native.SIGHUP); // the JVM gives HUP a handler; SIG_DFL restored, no error
    Native.becomeSubreaper(true);
    Native.becomeSubreaper(false);
  }
}
