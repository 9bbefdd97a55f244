package org.rmonitor.proc;

import java.io.File;
import java.io.IOException;
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
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
   * With {@code ownPipes} its output is read until every process holding it has closed it (a
   * target: what it leaves running is still the job). Without, the JDK's pipes are used, read
   * until the child itself ends (an exit: a daemon it started on purpose, such as sshfs,
   * belongs to the resource and may hold the pipe for hours; it must not hold up PREP).
   *
   * @return its exit status, or 128+N when signal N ended it
   */
  public static int run(
      List<String> command,
      Map<String, String> env,
      Starter starter,
      Hooks hooks,
      Output output,
      boolean ownPipes,
      List<Watcher> watchers)
      throws InterruptedException {
    Pipe out = null;
    Pipe err = null;
    Process process;
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectInput(DEV_NULL);
      pb.environment().putAll(env);
      if (ownPipes) {
        out = Pipe.open();
        err = Pipe.open();
        pb.redirectOutput(out.writeEnd()).redirectError(err.writeEnd());
      }
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
      InputStream stdout = ownPipes ? out.reader() : process.getInputStream();
      InputStream stderr = ownPipes ? err.reader() : process.getErrorStream();
      scope.fork(() -> drain(stdout, false, output));
      scope.fork(() -> drain(stderr, true, output));
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

  private static Void drain(InputStream in, boolean stderr, Output output) throws IOException {
    byte[] buf = new byte[8192];
    try (in) {
      for (int n; (n = in.read(buf)) > 0; ) output.bytes(stderr, buf, 0, n);
    } finally {
      output.end(stderr);
    }
    return null;
  }

  /** A pipe of the monitor's own: the read end as a stream, the write end by its path. */
  private static final class Pipe implements AutoCloseable {
    private final FileInputStream reader;
    private int write;

    private Pipe(FileInputStream reader, int write) {
      this.reader = reader;
      this.write = write;
    }

    static Pipe open() throws IOException {
      int[] fds = Native.pipe();
      try {
        // A stream of its own on the read end (a virtual thread blocked on it does not hold up
        // the others); the descriptor from pipe2 is closed once the stream has its own.
        return new Pipe(new FileInputStream("/proc/self/fd/" + fds[0]), fds[1]);
      } catch (IOException e) {
        Native.close(fds[1]);
        throw e;
      } finally {
        Native.close(fds[0]);
      }
    }

    InputStream reader() {
      return reader;
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
      } catch (IOException e) {
        // nothing left to read from it either way
      }
    }
  }
}
