package org.rmonitor.proc;

import java.util.concurrent.Callable;
import java.util.concurrent.StructuredTaskScope;

/**
 * {@link Scope} as the preview {@code StructuredTaskScope} of Java 25. The only class compiled
 * with {@code --enable-preview} (see pom.xml), so the only one bound to Java 25: it is loaded by
 * name, and only on a Java 25 runtime with preview features enabled. When the API becomes final,
 * this file is the one to change.
 */
final class PreviewScope implements Scope {
  private final StructuredTaskScope<Object, Void> scope = StructuredTaskScope.open();

  PreviewScope() {}

  @Override
  public <T> Subtask<T> fork(Callable<? extends T> task) {
    StructuredTaskScope.Subtask<T> subtask = scope.fork(task);
    return new Subtask<>() {
      @Override
      public State state() {
        return State.valueOf(subtask.state().name()); // no switch: no extra class file
      }

      @Override
      public T get() {
        return subtask.get();
      }

      @Override
      public Throwable exception() {
        return subtask.exception();
      }
    };
  }

  @Override
  public void join() throws InterruptedException {
    try {
      scope.join();
    } catch (StructuredTaskScope.FailedException e) {
      throw new FailedException(e.getCause());
    }
  }

  @Override
  public void close() {
    scope.close();
  }
}
