package org.rmonitor.os;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * The C library calls the JDK has no API for, each linked once through the Foreign Function &amp;
 * Memory API. Every call captures its own {@code errno}; a failure is an {@link ErrnoException}
 * with strerror's words, and "no such process" is a result, not an error. The launcher never
 * touches this class: the first downcall costs a JVM tens of milliseconds.
 */
public final class Native {
  public static final int SIGHUP = 1;
  public static final int SIGINT = 2;
  public static final int SIGKILL = 9;
  public static final int SIGTERM = 15;

  public static final int ESRCH = 3;
  public static final int EINTR = 4;
  public static final int ECHILD = 10;
  public static final int EAGAIN = 11;
  public static final int ENAMETOOLONG = 36;
  public static final int EPROTOTYPE = 91;
  public static final int ENOTCONN = 107;

  public static final int AF_UNIX = 1;
  public static final int SOCK_STREAM = 1;
  public static final int SOCK_DGRAM = 2;
  public static final int MSG_NOSIGNAL = 0x4000;
  public static final int MSG_DONTWAIT = 0x40;
  private static final int SOCK_CLOEXEC = 02000000;
  private static final int O_CLOEXEC = 02000000;
  private static final int O_WRONLY = 1;
  private static final int O_APPEND = 02000;
  private static final int SOL_SOCKET = 1;
  private static final int SO_SNDTIMEO = 21;
  private static final int PR_SET_CHILD_SUBREAPER = 36;
  private static final int SUN_PATH_MAX = 108;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
  private static final AddressLayout PTR = ValueLayout.ADDRESS;

  /**
   * The C functions, each linked on its first call, not all when the class loads: linking one
   * spins classes and a stub (milliseconds of a monitor's start, and memory it keeps), and most
   * jobs call only a few (a job that logs to a file never opens a socket). Linking twice in a
   * race gives two equal handles, so no lock is needed.
   */
  private enum C {
    SOCKET("socket", FunctionDescriptor.of(INT, INT, INT, INT)),
    CONNECT("connect", FunctionDescriptor.of(INT, INT, PTR, INT)),
    SEND("send", FunctionDescriptor.of(LONG, INT, PTR, LONG, INT)),
    RECV("recv", FunctionDescriptor.of(LONG, INT, PTR, LONG, INT)),
    BIND("bind", FunctionDescriptor.of(INT, INT, PTR, INT)),
    SETSOCKOPT("setsockopt", FunctionDescriptor.of(INT, INT, INT, INT, PTR, INT)),
    CLOSE("close", FunctionDescriptor.of(INT, INT)),
    OPEN("open", FunctionDescriptor.of(INT, PTR, INT)),
    DUP2("dup2", FunctionDescriptor.of(INT, INT, INT)),
    PIPE2("pipe2", FunctionDescriptor.of(INT, PTR, INT)),
    KILL("kill", FunctionDescriptor.of(INT, INT, INT)),
    WAITPID("waitpid", FunctionDescriptor.of(INT, INT, PTR, INT)),
    SIGNAL("signal", FunctionDescriptor.of(PTR, INT, PTR)),
    // prctl(2) is variadic after its first argument.
    PRCTL("prctl", FunctionDescriptor.of(INT, INT, LONG), Linker.Option.firstVariadicArg(1)),
    // strerror sets no errno worth keeping: no captured state.
    STRERROR("strerror", FunctionDescriptor.of(PTR, INT), (Linker.Option[]) null);

    private final String name;
    private final FunctionDescriptor descriptor;
    private final Linker.Option[] options;
    private volatile MethodHandle handle;

    C(String name, FunctionDescriptor descriptor, Linker.Option... options) {
      this.name = name;
      this.descriptor = descriptor;
      this.options = options;
    }

    MethodHandle handle() {
      MethodHandle h = handle;
      if (h == null) handle = h = link();
      return h;
    }

    private MethodHandle link() {
      java.lang.foreign.MemorySegment address = LINKER.defaultLookup().find(name).orElseThrow();
      if (options == null) return LINKER.downcallHandle(address, descriptor);
      Linker.Option[] all = java.util.Arrays.copyOf(options, options.length + 1);
      all[options.length] = Linker.Option.captureCallState("errno");
      return LINKER.downcallHandle(address, descriptor, all);
    }
  }

  private Native() {}

  /** A failed call: what was attempted, its errno, and strerror's words for it. */
  public static final class ErrnoException extends java.io.IOException {
    public final int errno;

    public ErrnoException(String call, int errno) {
      super(call + ": " + strerror(errno));
      this.errno = errno;
    }
  }

  /** The C library's own words for an errno, as every other tool on the machine prints them. */
  public static String strerror(int errno) {
    try {
      MemorySegment s = (MemorySegment) C.STRERROR.handle().invokeExact(errno);
      return s.reinterpret(256).getString(0, StandardCharsets.UTF_8);
    } catch (Throwable t) {
      return "errno " + errno;
    }
  }

  /** One downcall: gets the captured-state segment and returns the C function's result. */
  private interface Call {
    long invoke(MemorySegment state) throws Throwable;
  }

  /**
   * Runs {@code call}, retrying when a signal interrupted it (EINTR), and turns a negative result
   * into an ErrnoException naming {@code what}. The one place a downcall's failure is decoded.
   */
  private static long call(String what, Call call) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(STATE);
      while (true) {
        long rc = call.invoke(state);
        if (rc >= 0) return rc;
        int e = (int) ERRNO.get(state, 0L);
        if (e != EINTR) throw new ErrnoException(what, e);
      }
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      // A linkage or layout mistake is a bug in rmonitor, never a condition of the machine.
      throw new IllegalStateException(what + ": " + t, t);
    }
  }

  /**
   * Sends {@code sig} to {@code pid}. Returns false when the process is already gone (ESRCH);
   * HotSpot's {@code ProcessHandle} can only send TERM and KILL, a relay needs HUP and INT too.
   */
  public static boolean kill(long pid, int sig) throws ErrnoException {
    try {
      call("kill(" + pid + ", " + sig + ")", s -> (int) C.KILL.handle().invokeExact(s, (int) pid, sig));
      return true;
    } catch (ErrnoException e) {
      if (e.errno == ESRCH) return false;
      throw e;
    }
  }

  /**
   * Reaps one child that has already exited. Orphans re-parented to a sub-reaper are not the
   * JDK's children, so its reaper thread never collects them; and never {@code waitpid(-1)}, which
   * would steal the JDK's own children from under it.
   */
  public static void reap(long pid) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment status = arena.allocate(INT);
      call("waitpid(" + pid + ")", s -> (int) C.WAITPID.handle().invokeExact(s, (int) pid, status, 0));
    } catch (ErrnoException e) {
      if (e.errno != ECHILD) throw e; // someone else reaped it: it is gone either way
    }
  }

  /**
   * Makes this process the reaper of its orphaned descendants, so a job's background and
   * double-forked processes stay visible to it instead of vanishing under init.
   */
  public static void becomeSubreaper(boolean on) throws ErrnoException {
    call("prctl(PR_SET_CHILD_SUBREAPER)", s -> (int) C.PRCTL.handle().invokeExact(s, PR_SET_CHILD_SUBREAPER, on ? 1L : 0L));
  }

  /**
   * Restores the default action of {@code sig}. A signal ignored when the JVM starts (dash
   * starts background jobs with SIGINT ignored, nohup ignores SIGHUP) stays ignored, and
   * {@code sun.misc.Signal.handle} then silently installs nothing.
   */
  public static void defaultAction(int sig) throws ErrnoException {
    call(
        "signal(" + sig + ", SIG_DFL)",
        s -> ((MemorySegment) C.SIGNAL.handle().invokeExact(s, sig, MemorySegment.NULL)).address() == -1L ? -1 : 0);
  }

  /** A pipe whose two ends are closed on exec: {read, write}. */
  public static int[] pipe() throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment fds = arena.allocate(INT, 2);
      call("pipe2", s -> (int) C.PIPE2.handle().invokeExact(s, fds, O_CLOEXEC));
      return new int[] {fds.getAtIndex(INT, 0), fds.getAtIndex(INT, 1)};
    }
  }

  public static void close(int fd) throws ErrnoException {
    // Not retried on EINTR: on Linux the descriptor is gone whatever close returns.
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(STATE);
      int rc = (int) C.CLOSE.handle().invokeExact(state, fd);
      if (rc != 0) throw new ErrnoException("close(" + fd + ")", (int) ERRNO.get(state, 0L));
    } catch (ErrnoException e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("close: " + t, t);
    }
  }

  /**
   * Points descriptor {@code target} at {@code path}, opened for writing (appending, for a file
   * that must not be truncated). No O_CREAT: the file is one already checked and made.
   */
  public static void redirect(int target, String path) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment name = arena.allocateFrom(path);
      int fd = (int) call("open(" + path + ")", s -> (int) C.OPEN.handle().invokeExact(s, name, O_WRONLY | O_APPEND | O_CLOEXEC));
      try {
        call("dup2(" + path + ", " + target + ")", s -> (int) C.DUP2.handle().invokeExact(s, fd, target));
      } finally {
        close(fd);
      }
    }
  }

  /**
   * A socket of {@code type} in the Unix domain, closed on exec, bound to {@code path}: what a
   * syslog daemon listens on. The JDK's channels cannot make a datagram one.
   */
  public static int bindUnix(String path, int type) throws ErrnoException {
    return unixSocket(path, type, null, true);
  }

  private static MemorySegment sockaddr(Arena arena, byte[] name) {
    MemorySegment addr = arena.allocate(2 + SUN_PATH_MAX); // zeroed: the path ends with a NUL
    addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
    MemorySegment.copy(name, 0, addr, ValueLayout.JAVA_BYTE, 2, name.length);
    return addr;
  }

  /** A socket of {@code type} in the Unix domain, closed on exec, connected to {@code path}. */
  public static int connectUnix(String path, int type) throws ErrnoException {
    return connectUnix(path, type, null);
  }

  /**
   * As {@link #connectUnix(String, int)}, with {@link #sendTimeout} set before connecting: on
   * Linux it bounds a stream connect to a daemon whose listen queue is full as well.
   */
  public static int connectUnix(String path, int type, java.time.Duration sendBound) throws ErrnoException {
    return unixSocket(path, type, sendBound, false);
  }

  /** A Unix-domain socket, closed on exec, bound or connected to {@code path}. */
  private static int unixSocket(String path, int type, java.time.Duration sendBound, boolean bind) throws ErrnoException {
    String what = (bind ? "bind(" : "connect(") + path + ")";
    byte[] name = path.getBytes(StandardCharsets.UTF_8);
    if (name.length >= SUN_PATH_MAX) throw new ErrnoException(what, ENAMETOOLONG);
    int fd = (int) call("socket", s -> (int) C.SOCKET.handle().invokeExact(s, AF_UNIX, type | SOCK_CLOEXEC, 0));
    try (Arena arena = Arena.ofConfined()) {
      if (sendBound != null) sendTimeout(fd, sendBound);
      MemorySegment addr = sockaddr(arena, name);
      int length = 2 + name.length + 1;
      call(what, s -> bind ? (int) C.BIND.handle().invokeExact(s, fd, addr, length) : (int) C.CONNECT.handle().invokeExact(s, fd, addr, length));
      return fd;
    } catch (ErrnoException e) {
      close(fd);
      throw e;
    }
  }

  /**
   * Bounds how long a send on {@code fd} may block (SO_SNDTIMEO): past it, send fails with
   * EAGAIN instead of waiting on a daemon that stopped reading.
   */
  public static void sendTimeout(int fd, java.time.Duration bound) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment tv = arena.allocate(LONG, 2); // struct timeval { tv_sec; tv_usec; }
      tv.setAtIndex(LONG, 0, bound.toSeconds());
      tv.setAtIndex(LONG, 1, bound.toNanosPart() / 1000);
      call("setsockopt(SO_SNDTIMEO)", s -> (int) C.SETSOCKOPT.handle().invokeExact(s, fd, SOL_SOCKET, SO_SNDTIMEO, tv, 16));
    }
  }

  /** recv(2) into {@code buffer}; returns how many bytes came (a datagram: the whole of it). */
  public static long recv(int fd, MemorySegment buffer, int flags) throws ErrnoException {
    return call("recv", s -> (long) C.RECV.handle().invokeExact(s, fd, buffer, buffer.byteSize(), flags));
  }

  /** send(2) of {@code length} bytes of {@code buffer}; returns how many the kernel took. */
  public static long send(int fd, MemorySegment buffer, long length, int flags) throws ErrnoException {
    return call("send", s -> (long) C.SEND.handle().invokeExact(s, fd, buffer, length, flags));
  }
}
