package org.rmonitor.proc;

import java.util.concurrent.Callable;

/**
 * A structured scope of subtasks, each in a virtual thread of its own: how rmonitor runs things
 * side by side, so that one scope owns each child process (its waiter and both drains).
 *
 * <p>The owner (the thread that opened it) forks, then joins once, then closes, in a
 * try-with-resources block. {@link #join} waits until every subtask has succeeded, or until the
 * first one fails: that cancels the scope (the others are interrupted, nothing more is started)
 * and {@code join} throws {@link FailedException}. {@link #close} cancels what still runs and
 * always waits until every subtask has ended, even when interrupted: a read from a pipe ignores
 * interrupts, so a scope with a drain in it ends when the pipe's last writer has gone. Misuse
 * fails as {@code StructuredTaskScope} fails: {@link WrongThreadException} off the owner thread,
 * {@link IllegalStateException} for a fork after join, a second join, a result asked for before
 * join, or a close after forks with no join.
 *
 * <p>On the Java release it was compiled for (25) with preview features enabled, a scope is the
 * preview {@code StructuredTaskScope} ({@code PreviewScope}, the only class compiled with
 * {@code --enable-preview}); on any other runtime, such as the JDK a distribution moves to next,
 * it is {@link PlainScope}: the same behaviour on plain virtual threads.
 */
public interface Scope extends AutoCloseable {
  /** Opens a scope owned by the current thread. */
  static Scope open() {
    return Scopes.open();
  }

  /** Starts {@code task} in a new virtual thread; in a cancelled scope, starts nothing. */
  <T> Subtask<T> fork(Callable<? extends T> task);

  /**
   * Waits until all subtasks have succeeded, or one has failed.
   *
   * @throws FailedException when a subtask failed, with its exception as the cause
   * @throws InterruptedException when this thread was interrupted while waiting
   */
  void join() throws InterruptedException;

  /** Cancels the subtasks still running (interrupts them) and waits until all have ended. */
  @Override
  void close();

  /** A forked subtask; the owner may ask for its outcome once {@link #join} has returned. */
  interface Subtask<T> {
    enum State { UNAVAILABLE, SUCCESS, FAILED }

    State state();

    /** The result of a subtask that succeeded; an {@link IllegalStateException} otherwise. */
    T get();

    /** The exception of a subtask that failed; an {@link IllegalStateException} otherwise. */
    Throwable exception();
  }

  /** A subtask failed; the cause is its exception. */
  final class FailedException extends RuntimeException {
    public FailedException(Throwable cause) {
      super(cause);
    }
  }
}
