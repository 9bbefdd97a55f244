package org.rmonitor.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library calls the JDK has no API for, linked once each through the Foreign Function &amp;
 * Memory API. Every call captures {@code errno}; "no such process" is a result, not an error. The
 * launcher never touches this class: the first downcall costs a JVM tens of milliseconds.
 */
public final class Native {
  public static final int SIGHUP = 1;
  public static final int SIGINT = 2;
  public static final int SIGKILL = 9;
  public static final int SIGTERM = 15;

  public static final int EINTR = 4;
  public static final int ESRCH = 3;
  public static final int ECHILD = 10;

  private static final int AF_UNIX = 1;
  private static final int SOCK_STREAM = 1;
  private static final int SOCK_DGRAM = 2;
  private static final int EPROTOTYPE = 91;
  private static final int SOCK_CLOEXEC = 02000000;
  private static final int MSG_NOSIGNAL = 0x4000;
  private static final int PR_SET_CHILD_SUBREAPER = 36;
  private static final int SUN_PATH_MAX = 108;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
  private static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;

  private static final MethodHandle SOCKET = link("socket", FunctionDescriptor.of(INT, INT, INT, INT));
  private static final MethodHandle CONNECT = link("connect", FunctionDescriptor.of(INT, INT, PTR, INT));
  private static final MethodHandle SEND = link("send", FunctionDescriptor.of(LONG, INT, PTR, LONG, INT));
  private static final MethodHandle CLOSE = link("close", FunctionDescriptor.of(INT, INT));
  private static final MethodHandle KILL = link("kill", FunctionDescriptor.of(INT, INT, INT));
  private static final MethodHandle WAITPID = link("waitpid", FunctionDescriptor.of(INT, INT, PTR, INT));
  private static final MethodHandle SIGNAL = link("signal", FunctionDescriptor.of(PTR, INT, PTR));
  private static final MethodHandle PRCTL =
      LINKER.downcallHandle(
          LINKER.defaultLookup().find("prctl").orElseThrow(),
          FunctionDescriptor.of(INT, INT, LONG),
          Linker.Option.firstVariadicArg(1),
          Linker.Option.captureCallState("errno"));

  private Native() {}

  private static MethodHandle link(String name, FunctionDescriptor fd) {
    return LINKER.downcallHandle(
        LINKER.defaultLookup().find(name).orElseThrow(), fd, Linker.Option.captureCallState("errno"));
  }

  /** A failed call: the function, its errno, and strerror's words for it. */
  public static final class ErrnoException extends java.io.IOException {
    public final int errno;

    ErrnoException(String call, int errno) {
      super(call + ": " + describe(errno));
      this.errno = errno;
    }
  }

  private static String describe(int errno) {
    return switch (errno) {
      case 1 -> "operation not permitted";
      case 2 -> "no such file or directory";
      case 3 -> "no such process";
      case 11 -> "resource temporarily unavailable";
      case 13 -> "permission denied";
      case 90 -> "message too long";
      case 105 -> "no buffer space available";
      case 107 -> "socket is not connected";
      case 111 -> "connection refused";
      default -> "errno " + errno;
    };
  }

  private static int errno(MemorySegment state) {
    return (int) ERRNO.get(state, 0L);
  }

  /**
   * Sends {@code sig} to {@code pid}. Returns false when the process is already gone (ESRCH);
   * HotSpot's {@code ProcessHandle} can only send TERM and KILL, a relay needs HUP and INT too.
   */
  public static boolean kill(long pid, int sig) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(STATE);
      int rc = (int) KILL.invokeExact(state, (int) pid, sig);
      if (rc == 0) return true;
      int e = errno(state);
      if (e == ESRCH) return false;
      throw new ErrnoException("kill(" + pid + ", " + sig + ")", e);
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /**
   * Reaps one child that has already exited. Orphans re-parented to a sub-reaper are not the
   * JDK's children, so its reaper thread never collects them; and never {@code waitpid(-1)}, which
   * would steal the JDK's own children from under it.
   */
  public static void reap(long pid) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(STATE);
      MemorySegment status = arena.allocate(INT);
      while (true) {
        int rc = (int) WAITPID.invokeExact(state, (int) pid, status, 0);
        if (rc >= 0) return;
        int e = errno(state);
        if (e == EINTR) continue;
        if (e == ECHILD) return; // someone else reaped it: it is gone either way
        throw new ErrnoException("waitpid(" + pid + ")", e);
      }
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /**
   * Makes this process the reaper of its orphaned descendants, so a job's background and
   * double-forked processes stay visible to it instead of vanishing under init.
   */
  public static void becomeSubreaper(boolean on) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(STATE);
      int rc = (int) PRCTL.invokeExact(state, PR_SET_CHILD_SUBREAPER, on ? 1L : 0L);
      if (rc != 0) throw new ErrnoException("prctl(PR_SET_CHILD_SUBREAPER)", errno(state));
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /**
   * Restores the default action of {@code sig}. A signal ignored when the JVM starts (dash
   * starts background jobs with SIGINT ignored, nohup ignores SIGHUP) stays ignored, and
   * {@code sun.misc.Signal.handle} then silently installs nothing.
   */
  public static void defaultAction(int sig) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(STATE);
      MemorySegment unused = (MemorySegment) SIGNAL.invokeExact(state, sig, MemorySegment.NULL);
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /**
   * A connected Unix socket to a syslog daemon, as syslog(3) uses /dev/log: a datagram socket,
   * or, where the daemon listens on a stream socket (syslog-ng's unix-stream), a stream with each
   * message ended by a NUL byte, as the C library does then.
   */
  public static final class LogSocket implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment state = arena.allocate(STATE);
    private MemorySegment buffer = arena.allocate(8192);
    private int fd = -1;
    private boolean stream;

    /** Connects to {@code path}, closing any earlier connection first. */
    public void connect(String path) throws ErrnoException {
      closeFd();
      try {
        connect(path, SOCK_DGRAM);
        stream = false;
      } catch (ErrnoException e) {
        if (e.errno != EPROTOTYPE) throw e;
        connect(path, SOCK_STREAM);
        stream = true;
      }
    }

    private void connect(String path, int type) throws ErrnoException {
      byte[] name = path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      if (name.length >= SUN_PATH_MAX) throw new ErrnoException("socket path too long: " + path, 36);
      try {
        int s = (int) SOCKET.invokeExact(state, AF_UNIX, type | SOCK_CLOEXEC, 0);
        if (s < 0) throw new ErrnoException("socket", errno(state));
        try (Arena a = Arena.ofConfined()) {
          MemorySegment addr = a.allocate(2 + SUN_PATH_MAX);
          addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
          MemorySegment.copy(name, 0, addr, ValueLayout.JAVA_BYTE, 2, name.length);
          int rc = (int) CONNECT.invokeExact(state, s, addr, 2 + name.length + 1);
          if (rc != 0) {
            int e = errno(state);
            int unused = (int) CLOSE.invokeExact(state, s);
            throw new ErrnoException("connect(" + path + ")", e);
          }
        }
        fd = s;
      } catch (ErrnoException e) {
        throw e;
      } catch (Throwable t) {
        throw new AssertionError(t);
      }
    }

    public boolean connected() {
      return fd >= 0;
    }

    /** Sends one message; blocks while the daemon's queue is full rather than drop it. */
    public void send(byte[] message) throws ErrnoException {
      if (fd < 0) throw new ErrnoException("send", 107);
      long length = message.length + (stream ? 1 : 0);
      if (buffer.byteSize() < length) buffer = arena.allocate(length);
      MemorySegment.copy(message, 0, buffer, ValueLayout.JAVA_BYTE, 0, message.length);
      if (stream) buffer.set(ValueLayout.JAVA_BYTE, message.length, (byte) 0);
      try {
        long sent = 0;
        while (sent < length) { // a datagram goes whole; a stream may take it in pieces
          long rc = (long) SEND.invokeExact(state, fd, buffer.asSlice(sent), length - sent, MSG_NOSIGNAL);
          if (rc >= 0) {
            sent += rc;
            continue;
          }
          int e = errno(state);
          if (e != EINTR) throw new ErrnoException("send", e);
        }
      } catch (ErrnoException e) {
        throw e;
      } catch (Throwable t) {
        throw new AssertionError(t);
      }
    }

    private void closeFd() {
      if (fd < 0) return;
      try {
        int unused = (int) CLOSE.invokeExact(state, fd);
      } catch (Throwable t) {
        throw new AssertionError(t);
      }
      fd = -1;
    }

    @Override
    public void close() {
      closeFd();
      arena.close();
    }
  }
}
