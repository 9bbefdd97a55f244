package org.rmonitor.proc;

import java.io.File;
import java.io.IOException;
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.Optional;
import org.rmonitor.os.Native;

/**
 * Runs one child process to its end inside one structured scope: the wait for its exit, the
 * drains of its stdout and stderr, and the watchers that go with it (a timeout, a grace period)
 * are the scope's subtasks, and the scope ends only when all have.
 *
 * <p>The child's stdout and stderr are pipes the monitor makes and owns. The JDK's own pipes are
 * closed by its process reaper as soon as the direct child exits: a background process of the
 * script that writes later would write into a closed pipe, lose its lines and die of SIGPIPE.
 * A pipe of ours is read until every process holding its write end has closed it, as cron reads
 * a job's output. The child gets the write end by a path, {@code /proc/self/fd/N}, which the JDK
 * opens for it (a second descriptor of the same pipe); the monitor then closes its own, so the
 * child and its descendants are the only writers left.
 */
public final class ProcessRunner {
  /** A status for a program that could not be started at all, as a shell reports it. */
  public static final int CANNOT_RUN = 127;

  private static final File DEV_NULL = new File("/dev/null");

  private ProcessRunner() {}

  /** Starts a process; the signal relay does it, so that no stop is lost before a child exists. */
  public interface Starter {
    Process start(ProcessBuilder pb) throws IOException;
  }

  /** What the child writes, as it comes: raw bytes per stream, no policy, no format. */
  public interface Output {
    void bytes(boolean stderr, byte[] b, int off, int len);

    /** The stream is at its end: a last line without a newline is complete now. */
    void end(boolean stderr);

    /** A line of rmonitor's own about the child (it could not be started, say). */
    void notice(String text);
  }

  /** What the owner of the child does at its moments. */
  public interface Hooks {
    /** The child runs: {@code p} is its PID and start time. */
    default void started(Process p) {}

    /**
     * The child itself has ended with {@code status}, its pipes perhaps still held by what it
     * left running; returns once the job's processes are done (orphans awaited, say).
     */
    default void exited(int status) throws InterruptedException {}
  }

  /** A subtask that lives beside the child: it returns when {@code done} opens, or earlier. */
  public interface Watcher {
    void watch(CountDownLatch done) throws InterruptedException;
  }

  /**
   * Runs {@code command} with {@code env} added to the inherited environment; stdin is /dev/null.
   * Its output is read until every process holding it has closed it; with {@code readAfterExit},
   * at most that long once the child and its {@code exited} hook are done (an exit: a daemon it
   * started on purpose, such as sshfs, belongs to the resource and may hold the pipe for hours;
   * it must not hold up PREP). Then one notice says so and the rest is not read.
   *
   * @return its exit status, or 128+N when signal N ended it
   */
  public static int run(
      List<String> command,
      Map<String, String> env,
      Starter starter,
      Hooks hooks,
      Output output,
      Optional<Duration> readAfterExit,
      List<Watcher> watchers)
      throws InterruptedException {
    Pipe out = null;
    Pipe err = null;
    Process process;
    try {
      out = Pipe.open();
      err = Pipe.open();
      ProcessBuilder pb =
          new ProcessBuilder(command).redirectInput(DEV_NULL).redirectOutput(out.writeEnd()).redirectError(err.writeEnd());
      pb.environment().putAll(env);
      process = starter.start(pb);
    } catch (IOException e) {
      close(out, err);
      output.notice("cannot run " + command.getFirst() + ": " + e.getMessage());
      return CANNOT_RUN;
    } finally {
      if (out != null) out.closeWriteEnd();
      if (err != null) err.closeWriteEnd();
    }
    hooks.started(process);
    CountDownLatch done = new CountDownLatch(1);
    CountDownLatch drained = new CountDownLatch(2);
    Pipe stdout = out;
    Pipe stderr = err;
    try (Scope scope = Scope.open()) {
      Scope.Subtask<Integer> status =
          scope.fork(
              () -> {
                try {
                  int s = process.waitFor(); // the JDK reports death by signal N as 128+N
                  hooks.exited(s);
                  return s;
                } finally {
                  done.countDown();
                }
              });
      scope.fork(() -> drain(stdout, false, output, drained));
      scope.fork(() -> drain(stderr, true, output, drained));
      readAfterExit.ifPresent(bound -> scope.fork(() -> {
        done.await();
        if (!drained.await(bound.toMillis(), TimeUnit.MILLISECONDS)) {
          output.notice(
              "WARNING a process left running still holds this output; it is no longer read ("
                  + bound.toSeconds() + " s after the end)");
          stdout.abandon();
          stderr.abandon();
        }
        return null;
      }));
      for (Watcher w : watchers) {
        scope.fork(
            () -> {
              w.watch(done);
              return null;
            });
      }
      scope.join();
      return status.get();
    } catch (Scope.FailedException e) {
      throw new IllegalStateException("running " + command.getFirst() + ": " + e.getCause(), e.getCause());
    } finally {
      close(out, err);
    }
  }

  private static void close(Pipe... pipes) {
    for (Pipe p : pipes) if (p != null) p.close();
  }

  private static Void drain(Pipe pipe, boolean stderr, Output output, CountDownLatch drained) throws IOException {
    byte[] buf = new byte[8192];
    try (InputStream in = pipe.reader()) {
      for (int n; (n = in.read(buf)) > 0 && !pipe.abandoned(); ) output.bytes(stderr, buf, 0, n);
    } finally {
      output.end(stderr);
      drained.countDown();
    }
    return null;
  }

  /**
   * A pipe of the monitor's own: the read end as a stream, the write end by its path. The read
   * end's first descriptor is kept: through /proc it opens one more write end, whose single byte
   * wakes a drain blocked on a pipe that someone else holds open, once it is given up on.
   */
  private static final class Pipe implements AutoCloseable {
    private final int read;
    private final FileInputStream reader;
    private int write;
    private volatile boolean abandoned;

    private Pipe(int read, FileInputStream reader, int write) {
      this.read = read;
      this.reader = reader;
      this.write = write;
    }

    static Pipe open() throws IOException {
      int[] fds = Native.pipe();
      try {
        // A stream of its own on the read end: a virtual thread blocked on it is one the
        // scheduler can make room for (see jvm.options).
        return new Pipe(fds[0], new FileInputStream("/proc/self/fd/" + fds[0]), fds[1]);
      } catch (IOException e) {
        Native.close(fds[0]);
        Native.close(fds[1]);
        throw e;
      }
    }

    InputStream reader() {
      return reader;
    }

    boolean abandoned() {
      return abandoned;
    }

    /** Stops reading: what the remaining writers write later is not read. */
    void abandon() {
      abandoned = true;
      try (var wake = new java.io.FileOutputStream("/proc/self/fd/" + read)) {
        wake.write(0);
      } catch (IOException e) {
        // closed already: the drain has ended
      }
    }

    ProcessBuilder.Redirect writeEnd() {
      return ProcessBuilder.Redirect.to(new File("/proc/self/fd/" + write));
    }

    void closeWriteEnd() {
      if (write < 0) return;
      try {
        Native.close(write);
      } catch (Native.ErrnoException e) {
        // the descriptor is released whatever close(2) says
      }
      write = -1;
    }

    @Override
    public void close() {
      closeWriteEnd();
      try {
        reader.close();
        Native.close(read);
      } catch (IOException e) {
        // nothing left to read from it either way
      }
    }
  }
}
