package org.rmonitor.proc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link Scope} on plain virtual threads, for every runtime but Java 25 with preview features:
 * {@code StructuredTaskScope.open()}'s behaviour, down to its {@link IllegalStateException}s.
 */
final class PlainScope implements Scope {
  private enum Phase { NEW, FORKED, JOIN_STARTED, JOIN_COMPLETED, CLOSED }

  private final Thread owner = Thread.currentThread();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<Thread> threads = new ArrayList<>();
  private volatile Phase phase = Phase.NEW;
  private int running;
  private Throwable failure;
  private boolean cancelled;

  @Override
  public <T> Subtask<T> fork(Callable<? extends T> task) {
    checkOwner();
    checkNotJoined();
    Forked<T> subtask = new Forked<>();
    lock.lock();
    try {
      if (!cancelled) { // a cancelled scope starts nothing: the subtask stays UNAVAILABLE
        Thread thread = Thread.ofVirtual().unstarted(() -> run(subtask, task));
        thread.start();
        threads.add(thread);
        running++;
      }
    } finally {
      lock.unlock();
    }
    phase = Phase.FORKED;
    return subtask;
  }

  private <T> void run(Forked<T> subtask, Callable<? extends T> task) {
    T value = null;
    Throwable exception = null;
    try {
      value = task.call();
    } catch (Throwable e) {
      exception = e;
    }
    lock.lock();
    try {
      // After a cancellation an outcome is nobody's news (an interrupted wait, say): the subtask
      // stays UNAVAILABLE, as in StructuredTaskScope.
      if (!cancelled) {
        if (exception == null) {
          subtask.succeeded(value);
        } else {
          subtask.failed(exception);
          failure = exception;
          cancel();
        }
      }
      running--;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void join() throws InterruptedException {
    checkOwner();
    checkNotJoined();
    phase = Phase.JOIN_STARTED;
    lock.lock();
    try {
      while (running > 0 && !cancelled) changed.await();
      phase = Phase.JOIN_COMPLETED;
      if (failure != null) throw new FailedException(failure);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    checkOwner();
    Phase was = phase;
    if (was == Phase.CLOSED) return;
    List<Thread> all;
    lock.lock();
    try {
      if (was.compareTo(Phase.JOIN_COMPLETED) < 0) cancel();
      all = List.copyOf(threads);
    } finally {
      lock.unlock();
    }
    Uninterruptibly.join(all); // close waits all the same, and leaves an interrupt to the caller
    phase = Phase.CLOSED;
    if (was == Phase.FORKED) throw new IllegalStateException("Owner did not join after forking");
  }

  /** With the lock held: no more forks run, the running subtasks are interrupted, join returns. */
  private void cancel() {
    if (cancelled) return;
    cancelled = true;
    for (Thread thread : threads) {
      if (thread != Thread.currentThread()) thread.interrupt();
    }
    changed.signalAll();
  }

  private void checkOwner() {
    if (Thread.currentThread() != owner) throw new WrongThreadException("Current thread not owner");
  }

  private void checkNotJoined() {
    if (phase.compareTo(Phase.FORKED) > 0) {
      throw new IllegalStateException("Already joined or scope is closed");
    }
  }

  private final class Forked<T> implements Subtask<T> {
    private volatile State state = State.UNAVAILABLE;
    private volatile T result;
    private volatile Throwable exception;

    void succeeded(T value) {
      result = value;
      state = State.SUCCESS;
    }

    void failed(Throwable e) {
      exception = e;
      state = State.FAILED;
    }

    private void checkJoined() {
      if (Thread.currentThread() == owner && phase.compareTo(Phase.JOIN_STARTED) <= 0) {
        throw new IllegalStateException("join not called");
      }
    }

    @Override
    public State state() {
      return state;
    }

    @Override
    public T get() {
      checkJoined();
      if (state != State.SUCCESS) throw new IllegalStateException("Subtask not completed successfully");
      return result;
    }

    @Override
    public Throwable exception() {
      checkJoined();
      if (state != State.FAILED) throw new IllegalStateException("Subtask not completed with exception");
      return exception;
    }
  }
}
