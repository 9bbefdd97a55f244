package org.rmonitor.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Sends records to a remote collector (UDP, TCP, TLS) from a thread of its own, so that a name
 * lookup, a connect, a handshake or a collector that stops reading never holds up the job. The
 * job hands each message to a queue; a line waits for room there at most {@link Outage#BOUND},
 * then it and the lines after it go to the fallback file, after one WARNING there.
 *
 * <p>TCP and TLS messages are framed per RFC 6587/5425, octet counted ({@code LEN SP MSG}) with
 * nothing between frames, or with a LF after each when asked ({@code ?framing=lf}).
 *
 * <p>When it comes back: a broken connection is opened again at once, then once a second; a
 * connection that stopped taking bytes is kept, and when its write completes the collector is
 * reading again. Either way delivery resumes ({@link Outage}). A broken connection may have
 * taken the lines in its buffers with it: those of the last seconds are written to the fallback
 * file too ({@link ReplayWindow}).
 */
final class RemoteSink implements Sink {
  /** Lines that may wait for the collector, in memory: a few seconds of a chatty job. */
  static final int QUEUE_MAX = 1000;

  private record Frame(LogRecord record, byte[] bytes) {}

  private final String name;
  private final Destination.Framing framing;
  private final boolean udp;
  private final Rfc5424 format;
  private final FileSink fallback;
  private final Function<String, LogRecord> notices;
  private final Connector connector;
  private final Outage outage;
  private final ReplayWindow recent;
  private final Duration bound;
  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled on every change of the fields below. */
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Frame> queue = new ArrayDeque<>();
  private final Thread sender;
  private Frame inFlight;
  private Connection connection;
  private long nextAttempt = System.nanoTime();
  private boolean closing;
  private boolean aborted;

  RemoteSink(Destination to, String host, Connector connector, FileSink fallback, Function<String, LogRecord> notices) {
    this(to, host, connector, fallback, notices, Outage.BOUND);
  }

  RemoteSink(
      Destination to,
      String host,
      Connector connector,
      FileSink fallback,
      Function<String, LogRecord> notices,
      Duration bound) {
    this.name = to.toString();
    this.framing = to.framing();
    this.udp = to.kind() == Destination.Kind.UDP;
    this.format = new Rfc5424(host, to.maxMessage());
    this.connector = connector;
    this.fallback = fallback;
    this.notices = notices;
    this.bound = bound;
    this.outage = new Outage();
    this.recent = new ReplayWindow();
    this.sender = Thread.ofVirtual().name("log " + name).start(this::run);
  }

  @Override
  public int room(String ident) {
    return format.room(ident);
  }

  /** For tests: whether lines go to the collector, to the fallback, or back to the collector. */
  Outage.Mode mode() {
    lock.lock();
    try {
      return outage.mode();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void send(LogRecord record) throws IOException {
    Frame frame = new Frame(record, frame(format.format(record)));
    lock.lock();
    try {
      if (outage.mode() == Outage.Mode.FALLBACK) {
        fallback.send(record);
        return;
      }
      Duration wait = outage.mode() == Outage.Mode.DELIVER ? bound : Outage.RECOVERY_BOUND;
      long deadline = System.nanoTime() + wait.toNanos();
      while (queue.size() >= QUEUE_MAX && outage.mode() != Outage.Mode.FALLBACK) {
        long left = deadline - System.nanoTime();
        if (left <= 0) break;
        changed.awaitNanos(left); // the lock is free meanwhile: other lines, the signal relay
      }
      if (outage.mode() == Outage.Mode.FALLBACK) {
        fallback.send(record);
      } else if (queue.size() >= QUEUE_MAX) {
        fail(stuck(wait), false);
        fallback.send(record);
      } else {
        queue.addLast(frame);
        changed.signalAll();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fallback.send(record);
    } finally {
      lock.unlock();
    }
  }

  private String stuck(Duration wait) {
    return connection == null
        ? "could not be reached within " + Sinks.describe(wait)
        : "took no line within " + Sinks.describe(wait) + " (a collector that stopped reading?)";
  }

  /** RFC 6587 section 3.4.1 octet counting, or 3.4.2 a trailing LF; a datagram is the message. */
  private byte[] frame(byte[] message) {
    if (udp) return message;
    if (framing == Destination.Framing.LF) {
      byte[] out = java.util.Arrays.copyOf(message, message.length + 1);
      out[message.length] = '\n';
      return out;
    }
    byte[] length = (message.length + " ").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[length.length + message.length];
    System.arraycopy(length, 0, out, 0, length.length);
    System.arraycopy(message, 0, out, length.length, message.length);
    return out;
  }

  /**
   * The collector did not take a line. Lock held. Writes the outage's one WARNING, the lines a
   * broken connection may have lost ({@code replay}), and the lines still queued, in that order.
   */
  private void fail(String why, boolean replay) throws IOException {
    if (outage.failed()) {
      fallback.send(
          notices.apply("WARNING log " + name + " " + why + "; lines go to " + fallback.path() + " until it takes them again"));
    }
    if (replay) {
      for (LogRecord r : recent.drain()) fallback.send(r);
    }
    for (Frame f : queue) fallback.send(f.record());
    queue.clear();
    changed.signalAll();
  }

  // ---- the sender thread ----

  private void run() {
    try {
      while (true) {
        Frame next = null;
        Connection to = null;
        Connection last = null;
        boolean done = false;
        lock.lock();
        try {
          while (!done) {
            if (aborted || (closing && queue.isEmpty())) {
              last = aborted ? null : connection; // close() may still abort it: it stays set
              done = true;
            } else if (connection == null) {
              long wait = nextAttempt - System.nanoTime();
              if (wait <= 0) break;
              if (closing) return; // the queue is the fallback file's now
              changed.awaitNanos(wait);
            } else if (!queue.isEmpty()) {
              break;
            } else {
              changed.await();
            }
          }
          if (!done) {
            to = connection;
            next = to == null ? null : queue.pollFirst();
            inFlight = next;
            changed.signalAll();
          }
        } finally {
          lock.unlock();
        }
        if (done) {
          // The end, politely (TLS close_notify), and without the lock: with a full buffer it
          // may block until close() aborts the connection.
          if (last != null) last.close();
          return;
        }
        if (to == null) {
          connect();
        } else {
          write(to, next);
        }
      }
    } catch (InterruptedException e) {
      // the monitor is exiting
    } catch (IOException e) {
      // the fallback file failed too; JobLog reports each line on stderr from now on
    }
  }

  private void connect() throws IOException {
    Connection opened = null;
    String trouble = null;
    try {
      opened = connector.open();
    } catch (IOException | RuntimeException e) {
      trouble = "cannot be reached: " + Connector.describe(e);
    }
    lock.lock();
    try {
      if (opened != null && (aborted || closing && queue.isEmpty())) {
        opened.abort();
      } else if (opened != null) {
        connection = opened;
        if (outage.mode() == Outage.Mode.FALLBACK) outage.delivered(); // it is back
      } else {
        nextAttempt = System.nanoTime() + Outage.PROBE_EVERY.toNanos();
        fail(trouble, false);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void write(Connection to, Frame frame) throws IOException {
    IOException trouble = null;
    try {
      to.write(frame.bytes());
    } catch (IOException e) {
      trouble = e;
    }
    lock.lock();
    try {
      inFlight = null;
      recent.add(frame.record());
      if (aborted) return;
      if (trouble == null) {
        outage.delivered(); // after a stall, a write that completes is the collector reading again
      } else {
        to.abort();
        connection = null;
        // A restarted TCP collector is back at once; a UDP one says nothing until the next ICMP.
        nextAttempt = System.nanoTime() + (udp ? Outage.PROBE_EVERY.toNanos() : 0);
        fail("failed: " + Connector.describe(trouble), true);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits up to the bound for the queue to drain and ends the connection; what the collector has
   * not taken by then goes to the fallback file.
   */
  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      closing = true;
      changed.signalAll();
      long deadline = System.nanoTime() + bound.toNanos();
      while ((!queue.isEmpty() || inFlight != null) && outage.mode() != Outage.Mode.FALLBACK) {
        long left = deadline - System.nanoTime();
        if (left <= 0) break;
        changed.awaitNanos(left);
      }
      if (!queue.isEmpty() || inFlight != null) {
        if (inFlight != null) recent.add(inFlight.record());
        fail(stuck(bound), true);
        aborted = true;
        if (connection != null) connection.abort();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
    try {
      sender.join(bound);
      if (sender.isAlive()) {
        lock.lock();
        try {
          aborted = true;
          if (connection != null) connection.abort();
        } finally {
          lock.unlock();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      fallback.close();
    }
  }
}
