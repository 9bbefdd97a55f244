package org.rmonitor.log;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A remote syslog collector for tests, on a loopback port: TCP or TLS, parsing every byte as
 * RFC 6587 frames ({@link Frames}). It may start deaf: it accepts connections (and completes TLS
 * handshakes) but reads nothing until {@link #startReading}, as a collector whose queue is full.
 */
public final class TcpCollector implements AutoCloseable {
  private final ServerSocket server;
  private final boolean lf;
  private final CountDownLatch reading = new CountDownLatch(1);
  private final List<String> messages = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private final List<Socket> connections = new ArrayList<>();
  private final Thread acceptor;

  private TcpCollector(ServerSocket server, boolean lf, boolean deaf) {
    this.server = server;
    this.lf = lf;
    if (!deaf) reading.countDown();
    this.acceptor = Thread.ofPlatform().daemon().name("collector").start(this::accept);
  }

  public static TcpCollector tcp(boolean lf, boolean deaf) throws IOException {
    return new TcpCollector(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), lf, deaf);
  }

  /** On a port the test chose (one that was refused until now, say). */
  public static TcpCollector tcp(ServerSocket server) {
    return new TcpCollector(server, false, false);
  }

  public static TcpCollector tls(SSLContext context, boolean deaf) throws IOException {
    return new TcpCollector(
        context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress()), false, deaf);
  }

  public int port() {
    return server.getLocalPort();
  }

  public void startReading() {
    reading.countDown();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        synchronized (this) {
          connections.add(s);
        }
        Thread.ofPlatform().daemon().name("collector connection").start(() -> read(s));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void read(Socket s) {
    try (s) {
      if (s instanceof SSLSocket tls) tls.startHandshake();
      reading.await();
      InputStream in = s.getInputStream();
      Frames frames = new Frames(in, lf);
      for (String m; (m = frames.next()) != null; ) {
        synchronized (this) {
          messages.add(m);
          notifyAll();
        }
      }
    } catch (IOException | InterruptedException e) {
      synchronized (this) {
        if (!server.isClosed()) errors.add(e.toString());
        notifyAll();
      }
    }
  }

  public synchronized List<String> messages() {
    return List.copyOf(messages);
  }

  /** Framing errors, and connections that ended inside a frame. */
  public synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  /** Waits until the messages so far satisfy {@code done}; returns them, else throws. */
  public synchronized List<String> await(Predicate<List<String>> done, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.test(messages)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("collector: condition not met within " + timeout + "; " + messages.size()
            + " messages, errors " + errors);
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return List.copyOf(messages);
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (this) {
      for (Socket s : connections) s.close();
    }
    reading.countDown();
  }
}
