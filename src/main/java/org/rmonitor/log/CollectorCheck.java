package org.rmonitor.log;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether a remote collector can be reached now: what the launcher asks before it returns, so a
 * collector that is down or a certificate that is not trusted is one line in cron's mail, not
 * only a WARNING in the fallback file. Name lookup, connect and TLS handshake run on a thread of
 * their own; the launcher waits for them a bounded time only.
 */
public final class CollectorCheck {
  private CollectorCheck() {}

  /** Empty when {@code to} took a connection within {@code bound}; else what went wrong. */
  public static Optional<String> problem(Destination to, Duration bound) {
    javax.net.ssl.SSLContext tls;
    try {
      tls = to.kind() == Destination.Kind.TLS ? Tls.context(to.tlsCa()) : null; // work here, not waiting
    } catch (IOException e) {
      return Optional.of("cannot be used: " + e.getMessage());
    }
    CompletableFuture<Optional<String>> attempt = new CompletableFuture<>();
    Thread.ofPlatform()
        .daemon()
        .name("check " + to)
        .start(
            () -> {
              try {
                new Connector(to, tls, bound).open().close();
                attempt.complete(Optional.empty());
              } catch (IOException | RuntimeException e) {
                attempt.complete(Optional.of("cannot be reached: " + Connector.describe(e)));
              }
            });
    try {
      return attempt.get(bound.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return Optional.of("did not answer within " + Sinks.describe(bound));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("not checked: interrupted");
    } catch (ExecutionException e) {
      return Optional.of("cannot be reached: " + e.getCause());
    }
  }
}
