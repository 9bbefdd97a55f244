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
import java.nio.charset.StandardCharsets;

/**
 * The C library calls the JDK has no API for, each linked once through the Foreign Function &amp;
 * Memory API. Every call captures its own {@code errno}; a failure is an {@link ErrnoException}
 * with strerror's words, and "no such process" is a result, not an error. The launcher never
 * touches this class: the first downcall costs a JVM about 15 ms of CPU.
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
  /** open(2)'s close-on-exec flag, as /proc/PID/fdinfo shows it too. */
  public static final int O_CLOEXEC = 02000000;
  private static final int O_WRONLY = 1;
  private static final int O_APPEND = 02000;
  private static final int SOL_SOCKET = 1;
  private static final int SO_SNDTIMEO = 21;
  private static final int PR_SET_CHILD_SUBREAPER = 36;
  public static final int SCHED_OTHER = 0;
  public static final int SCHED_BATCH = 3;
  private static final int SUN_PATH_MAX = 108;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final StructLayout STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  /**
   * Where a thread's calls leave errno: one segment a thread, freed with it, rather than an arena
   * opened and closed around each call (malloc and free for every line a chatty job sends).
   */
  private static final ThreadLocal<MemorySegment> ERRNO_STATE =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(STATE));

  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;

  /**
   * The one shape every C function here is linked with: {@code long f(long, long, long, long,
   * long)}, errno captured. FFM spins a class and a stub for each distinct shape it links, about
   * 4 ms of a monitor's start apiece (a syslog job used eight shapes: 50 ms; one: 21 ms,
   * measured), and one shape serves them all. On the System V ABI of x86-64 and AArch64 Linux
   * each integer or pointer argument travels in a 64-bit register of its own, a function reads
   * only the registers of the arguments it has, and an int result is the low half of the result
   * register ({@link C#INT} results are cut to it). Pointers are passed as the addresses of
   * native segments that live across the call. Five arguments: setsockopt(2), the most of any.
   */
  private static final FunctionDescriptor SHAPE = FunctionDescriptor.of(LONG, LONG, LONG, LONG, LONG, LONG);

  /**
   * The C functions, each linked on its first call, not all when the class loads: a job that
   * logs to a file never opens a socket. Linking twice in a race gives two equal handles, so no
   * lock is needed.
   */
  private enum C {
    SOCKET("socket", C.INT),
    CONNECT("connect", C.INT),
    SEND("send", C.WORD),
    RECV("recv", C.WORD),
    BIND("bind", C.INT),
    SETSOCKOPT("setsockopt", C.INT),
    SETSID("setsid", C.INT),
    CLOSE("close", C.INT),
    OPEN("open", C.INT),
    DUP2("dup2", C.INT),
    PIPE2("pipe2", C.INT),
    KILL("kill", C.INT),
    WAITPID("waitpid", C.INT),
    // A pointer: SIG_ERR is -1, every handler address is positive.
    SIGNAL("signal", C.WORD),
    // Variadic after its first argument: on x86-64 a variadic callee reads %al only as a bound on
    // the vector registers to save, and on AArch64 Linux variadic integers travel like fixed ones.
    PRCTL("prctl", C.INT),
    SCHED_GETSCHEDULER("sched_getscheduler", C.INT),
    SCHED_SETSCHEDULER("sched_setscheduler", C.INT),
    STRERROR("strerror", C.WORD),
    // A pointer to the struct tm it was given, NULL on failure.
    LOCALTIME_R("localtime_r", C.WORD);

    /** The result is a C int (the low 32 bits), or a whole register (ssize_t, a pointer). */
    private static final boolean INT = true, WORD = false;

    private final String name;
    private final boolean intResult;
    private volatile MethodHandle handle;

    C(String name, boolean intResult) {
      this.name = name;
      this.intResult = intResult;
    }

    long invoke(MemorySegment state, long a, long b, long c, long d, long e) throws Throwable {
      MethodHandle h = handle;
      if (h == null) handle = h = LINKER.downcallHandle(
          LINKER.defaultLookup().find(name).orElseThrow(), SHAPE, Linker.Option.captureCallState("errno"));
      long result = (long) h.invokeExact(state, a, b, c, d, e);
      return intResult ? (int) result : result;
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
      long s = call("strerror", C.STRERROR, errno, 0, 0);
      return MemorySegment.ofAddress(s).reinterpret(256).getString(0, StandardCharsets.UTF_8);
    } catch (ErrnoException | RuntimeException e) {
      return "errno " + errno;
    }
  }

  /**
   * Calls {@code fn} with up to five arguments (the rest zero), retrying when a signal
   * interrupted it (EINTR; never close(2): on Linux the descriptor is gone whatever close returns,
   * and a retry could close one opened meanwhile), and turns a negative result into an
   * ErrnoException naming {@code what}. The one place a downcall's failure is decoded.
   */
  private static long call(String what, C fn, long a, long b, long c, long d, long e) throws ErrnoException {
    return call(what, fn, ERRNO_STATE.get(), a, b, c, d, e);
  }

  private static long call(String what, C fn, MemorySegment state, long a, long b, long c, long d, long e)
      throws ErrnoException {
    try {
      while (true) {
        long rc = fn.invoke(state, a, b, c, d, e);
        if (rc >= 0) return rc;
        int errno = (int) ERRNO.get(state, 0L);
        if (errno != EINTR || fn == C.CLOSE) throw new ErrnoException(what, errno);
      }
    } catch (ErrnoException x) {
      throw x;
    } catch (Throwable t) {
      // A linkage or layout mistake is a bug in rmonitor, never a condition of the machine.
      throw new IllegalStateException(what + ": " + t, t);
    }
  }

  private static long call(String what, C fn, long a, long b, long c) throws ErrnoException {
    return call(what, fn, a, b, c, 0, 0);
  }

  /** The address of a native segment, to pass as a pointer; never a heap array's offset. */
  private static long address(MemorySegment segment) {
    if (!segment.isNative()) throw new IllegalArgumentException("not native memory: " + segment);
    return segment.address();
  }

  /**
   * Sends {@code sig} to {@code pid}. Returns false when the process is already gone (ESRCH);
   * HotSpot's {@code ProcessHandle} can only send TERM and KILL, a relay needs HUP and INT too.
   */
  public static boolean kill(long pid, int sig) throws ErrnoException {
    try {
      call("kill(" + pid + ", " + sig + ")", C.KILL, pid, sig, 0);
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
      call("waitpid(" + pid + ")", C.WAITPID, pid, address(status), 0);
    } catch (ErrnoException e) {
      if (e.errno != ECHILD) throw e; // someone else reaped it: it is gone either way
    }
  }

  /**
   * Makes this process the reaper of its orphaned descendants, so a job's background and
   * double-forked processes stay visible to it instead of vanishing under init.
   */
  public static void becomeSubreaper(boolean on) throws ErrnoException {
    call("prctl(PR_SET_CHILD_SUBREAPER)", C.PRCTL, PR_SET_CHILD_SUBREAPER, on ? 1 : 0, 0);
  }

  /** The scheduling policy (sched(7): SCHED_OTHER, SCHED_BATCH, ...) of thread {@code tid}; 0 is the calling thread. */
  public static int schedPolicy(long tid) throws ErrnoException {
    return (int) call("sched_getscheduler(" + tid + ")", C.SCHED_GETSCHEDULER, tid, 0, 0);
  }

  /**
   * Gives thread {@code tid} (0: the calling thread) one of the two normal policies, SCHED_OTHER
   * or SCHED_BATCH: a move between them needs no privilege and keeps the thread's nice value.
   */
  public static void setSchedPolicy(long tid, int policy) throws ErrnoException {
    if (policy != SCHED_OTHER && policy != SCHED_BATCH) throw new IllegalArgumentException("policy " + policy);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment param = arena.allocate(INT); // struct sched_param: sched_priority 0, as normal policies need
      call("sched_setscheduler(" + tid + ", " + policy + ")", C.SCHED_SETSCHEDULER, tid, policy, address(param));
    }
  }

  /**
   * Makes this process the leader of a new session and process group, with no controlling
   * terminal: signals to its caller's group or terminal no longer reach it.
   */
  public static void setsid() throws ErrnoException {
    call("setsid()", C.SETSID, 0, 0, 0);
  }

  /**
   * Restores the default action of {@code sig}. A signal ignored when the JVM starts (dash
   * starts background jobs with SIGINT ignored, nohup ignores SIGHUP) stays ignored, and
   * {@code sun.misc.Signal.handle} then silently installs nothing.
   */
  public static void defaultAction(int sig) throws ErrnoException {
    call("signal(" + sig + ", SIG_DFL)", C.SIGNAL, sig, 0, 0); // SIG_DFL is 0
  }

  /** struct tm of LP64 glibc and musl: nine ints, then long tm_gmtoff and char *tm_zone. */
  private static final long TM_SIZE = 56, TM_GMTOFF = 40;
  private static final int EOVERFLOW = 75;

  /**
   * The offset from UTC, in seconds, of local time at {@code epochSecond} as the C library
   * reckons it (TZ, else /etc/localtime): the tm_gmtoff of localtime_r(3).
   */
  public static int utcOffset(long epochSecond) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment time = arena.allocate(LONG);
      time.set(LONG, 0, epochSecond);
      MemorySegment tm = arena.allocate(TM_SIZE, 8);
      if (call("localtime_r", C.LOCALTIME_R, address(time), address(tm), 0) == 0) {
        throw new ErrnoException("localtime_r(" + epochSecond + ")", EOVERFLOW);
      }
      return (int) tm.get(LONG, TM_GMTOFF);
    }
  }

  /** A pipe whose two ends are closed on exec: {read, write}. */
  public static int[] pipe() throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment fds = arena.allocate(INT, 2);
      call("pipe2", C.PIPE2, address(fds), O_CLOEXEC, 0);
      return new int[] {fds.getAtIndex(INT, 0), fds.getAtIndex(INT, 1)};
    }
  }

  public static void close(int fd) throws ErrnoException {
    call("close(" + fd + ")", C.CLOSE, fd, 0, 0);
  }

  /**
   * Points descriptor {@code target} at {@code path}, opened for writing (appending, for a file
   * that must not be truncated). No O_CREAT: the file is one already checked and made.
   */
  public static void redirect(int target, String path) throws ErrnoException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment name = arena.allocateFrom(path);
      int fd = (int) call("open(" + path + ")", C.OPEN, address(name), O_WRONLY | O_APPEND | O_CLOEXEC, 0);
      try {
        call("dup2(" + path + ", " + target + ")", C.DUP2, fd, target, 0);
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
    int fd = (int) call("socket", C.SOCKET, AF_UNIX, type | SOCK_CLOEXEC, 0);
    try (Arena arena = Arena.ofConfined()) {
      if (sendBound != null) sendTimeout(fd, sendBound);
      MemorySegment addr = sockaddr(arena, name);
      int length = 2 + name.length + 1;
      call(what, bind ? C.BIND : C.CONNECT, fd, address(addr), length);
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
      call("setsockopt(SO_SNDTIMEO)", C.SETSOCKOPT, fd, SOL_SOCKET, SO_SNDTIMEO, address(tv), 16);
    }
  }

  /** recv(2) into {@code buffer}; returns how many bytes came (a datagram: the whole of it). */
  public static long recv(int fd, MemorySegment buffer, int flags) throws ErrnoException {
    return call("recv", C.RECV, fd, address(buffer), buffer.byteSize(), flags, 0);
  }

  /**
   * send(2) of {@code length} bytes of {@code buffer}; returns how many the kernel took. Errno is
   * left in the caller's own slot: it sends every line of a chatty job.
   */
  public static long send(int fd, MemorySegment buffer, long length, int flags, Errno errno) throws ErrnoException {
    if (length > buffer.byteSize()) throw new IndexOutOfBoundsException("send: " + length + " bytes of " + buffer);
    return call("send", C.SEND, errno.state, fd, address(buffer), length, flags, 0);
  }

  /**
   * Where calls leave errno, for a caller that makes many and keeps its own, used by one thread
   * at a time: the thread's own (a ThreadLocal lookup, a call into the JVM for each) costs a
   * chatty job's sends more than the send itself takes in Java.
   */
  public static final class Errno {
    private final MemorySegment state;

    private Errno(MemorySegment state) {
      this.state = state;
    }

    public static Errno in(Arena arena) {
      return new Errno(arena.allocate(STATE));
    }
  }
}
