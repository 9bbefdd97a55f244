package org.rmonitor.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both scopes behave alike: the preview StructuredTaskScope that Java 25 gets, and the plain one
 * any later JDK gets. The tests run with preview features on (pom.xml), so both are here.
 */
@Timeout(30)
class ScopeTest {
  static Stream<Arguments> scopes() {
    return Stream.of(
        Arguments.of("preview", (Supplier<Scope>) Scopes::open),
        Arguments.of("plain", (Supplier<Scope>) PlainScope::new));
  }

  @Test
  void onJava25WithPreviewFeaturesTheScopeIsStructuredTaskScope() {
    assertThat(Runtime.version().feature()).isEqualTo(Scopes.PREVIEW_RELEASE);
    assertThat(Scopes.preview()).isTrue();
    try (Scope scope = Scope.open()) {
      assertThat(scope.getClass().getSimpleName()).isEqualTo("PreviewScope");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scopes")
  void joinReturnsWhenAllHaveSucceeded(String name, Supplier<Scope> open) throws Exception {
    try (Scope scope = open.get()) {
      Scope.Subtask<Integer> a = scope.fork(() -> 1);
      Scope.Subtask<String> b = scope.fork(() -> { Thread.sleep(50); return "two"; });
      scope.join();
      assertThat(a.get()).isEqualTo(1);
      assertThat(b.get()).isEqualTo("two");
      assertThat(b.state()).isEqualTo(Scope.Subtask.State.SUCCESS);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scopes")
  void aFailureCancelsTheOthersAndJoinThrowsIt(String name, Supplier<Scope> open) throws Exception {
    AtomicBoolean interrupted = new AtomicBoolean();
    Scope.Subtask<Void> failed;
    try (Scope scope = open.get()) {
      scope.fork(() -> {
        try {
          Thread.sleep(60_000);
        } catch (InterruptedException e) {
          interrupted.set(true);
        }
        return null;
      });
      failed = scope.fork(() -> { throw new IOException("boom"); });
      assertThatThrownBy(scope::join)
          .isInstanceOf(Scope.FailedException.class)
          .cause().isInstanceOf(IOException.class).hasMessage("boom");
    }
    assertThat(interrupted).isTrue();
    assertThat(failed.state()).isEqualTo(Scope.Subtask.State.FAILED);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scopes")
  void closeWaitsForASubtaskThatIgnoresInterrupts(String name, Supplier<Scope> open)
      throws Exception {
    // As a drain blocked in read(2) on a pipe does: close must still wait for its end.
    Semaphore gate = new Semaphore(0);
    AtomicBoolean ended = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(1);
    Thread opener = Thread.ofPlatform().start(() -> {
      try {
        started.await();
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      gate.release();
    });
    Scope scope = open.get();
    scope.fork(() -> {
      started.countDown();
      gate.acquireUninterruptibly();
      ended.set(true);
      return null;
    });
    Thread.currentThread().interrupt(); // an interrupted owner: join gives up, close does not
    assertThatThrownBy(scope::join).isInstanceOf(InterruptedException.class);
    scope.close();
    assertThat(ended).isTrue();
    opener.join();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scopes")
  void closeKeepsAnInterruptForTheCaller(String name, Supplier<Scope> open) throws Exception {
    Scope scope = open.get();
    scope.fork(() -> 1);
    scope.join();
    Thread.currentThread().interrupt();
    scope.close();
    assertThat(Thread.interrupted()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scopes")
  void misuseFailsAsStructuredTaskScopeFails(String name, Supplier<Scope> open) throws Exception {
    try (Scope scope = open.get()) {
      Scope.Subtask<Integer> a = scope.fork(() -> 1);
      assertThatThrownBy(a::get).isInstanceOf(IllegalStateException.class).hasMessage("join not called");
      Thread other = Thread.ofPlatform().start(() ->
          assertThatThrownBy(() -> scope.fork(() -> 2)).isInstanceOf(WrongThreadException.class));
      other.join();
      scope.join();
      assertThatThrownBy(scope::join).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> scope.fork(() -> 3)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(a::exception).isInstanceOf(IllegalStateException.class);
    }
    Scope unjoined = open.get();
    unjoined.fork(() -> 1);
    assertThatThrownBy(unjoined::close)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Owner did not join after forking");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scopes")
  void aCancelledScopeStartsNothingMore(String name, Supplier<Scope> open) throws Exception {
    CountDownLatch failedFirst = new CountDownLatch(1);
    AtomicBoolean ran = new AtomicBoolean();
    try (Scope scope = open.get()) {
      scope.fork(() -> {
        failedFirst.countDown();
        throw new IOException("first");
      });
      assertThat(failedFirst.await(10, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(50);
      Scope.Subtask<Boolean> late = scope.fork(() -> { ran.set(true); return true; });
      assertThatThrownBy(scope::join).isInstanceOf(Scope.FailedException.class);
      assertThat(late.state()).isEqualTo(Scope.Subtask.State.UNAVAILABLE);
    }
    assertThat(ran).isFalse();
  }
}
