package org.rmonitor.resource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.rmonitor.UserError;

/**
 * {@code LOCK_DIR/rmonitor.RESOURCE.lock}, held under an exclusive POSIX record lock. The kernel
 * drops that lock when its holder dies, so a killed job never wedges a resource; and it works
 * across processes and over NFSv4. One channel per file per process: closing any other channel on
 * the same file would silently drop the lock.
 */
public final class LockFile implements AutoCloseable {
  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;

  private LockFile(Path path, FileChannel channel, FileLock lock) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
  }

  public static Path pathOf(Path lockDir, String resource) {
    return lockDir.resolve("rmonitor." + resource + ".lock");
  }

  /** How often a waiter tries the lock again, at most: also how soon a TERM ends the wait. */
  static final java.time.Duration POLL_MAX = java.time.Duration.ofMillis(100);

  /**
   * Opens and locks the file, waiting for any other holder of the lock until {@code stop} says
   * to give up (then empty). The lock directory is often writable by all: a symlink, a
   * non-regular file, or a file owned by someone else in its place is refused, before and after
   * the open, so a swap in between is caught too.
   */
  public static Optional<LockFile> acquire(Path lockDir, String resource, BooleanSupplier stop)
      throws UserError, IOException, InterruptedException {
    return acquire(pathOf(lockDir, resource), stop);
  }

  /** Locks {@code path} if no other process holds it; never waits. */
  public static Optional<LockFile> tryAcquire(Path path) throws UserError, IOException {
    FileChannel channel = open(path);
    try {
      FileLock lock = channel.tryLock();
      if (lock != null) return Optional.of(new LockFile(path, channel, lock));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    channel.close();
    return Optional.empty();
  }

  /**
   * Locks {@code path}, waiting for any other holder until {@code stop} is true. A waiter blocked
   * in fcntl(F_SETLKW) cannot be woken by a signal the JVM handles, so the lock is tried again and
   * again (10 ms at first, then at most {@link #POLL_MAX} apart) on the one channel.
   */
  public static Optional<LockFile> acquire(Path path, BooleanSupplier stop)
      throws UserError, IOException, InterruptedException {
    FileChannel channel = open(path);
    try {
      long pause = 10;
      while (!stop.getAsBoolean()) {
        FileLock lock = tryLock(path, channel);
        if (lock != null) return Optional.of(new LockFile(path, channel, lock));
        Thread.sleep(pause); // polling a lock that another process holds: no event to await
        pause = Math.min(pause * 2, POLL_MAX.toMillis());
      }
    } catch (IOException | RuntimeException | InterruptedException e) {
      channel.close();
      throw e;
    }
    channel.close();
    return Optional.empty();
  }

  /**
   * The lock, or null while someone else has it: another process, or another thread of this JVM
   * (the JDK then throws instead). A monitor uses a lock file from one thread only; tests run
   * several jobs in one JVM.
   */
  private static FileLock tryLock(Path path, FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      return null;
    } catch (IOException e) {
      throw failed(path, "cannot lock", e); // NFS without a lock daemon: "No locks available"
    }
  }

  /** Locks {@code path}, waiting as long as it takes. */
  public static LockFile acquire(Path path) throws UserError, IOException, InterruptedException {
    return acquire(path, () -> false).orElseThrow();
  }

  private static FileChannel open(Path path) throws UserError, IOException {
    Map<String, Object> before = null;
    try {
      before = TrustedPath.lstat(path);
      check(path, before);
    } catch (NoSuchFileException e) {
      // created below, owned by us
    }
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              path,
              Set.of(
                  StandardOpenOption.CREATE,
                  StandardOpenOption.READ,
                  StandardOpenOption.WRITE,
                  LinkOption.NOFOLLOW_LINKS),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    } catch (IOException e) {
      throw new UserError(UserError.CONFIG, "lock file " + path + ": cannot open: " + e.getMessage());
    }
    try {
      Map<String, Object> after = TrustedPath.lstat(path);
      check(path, after);
      if (before != null && !(before.get("ino").equals(after.get("ino")) && before.get("dev").equals(after.get("dev")))) {
        throw new UserError(UserError.CONFIG, "lock file " + path + ": replaced while being opened");
      }
      return channel;
    } catch (UserError | IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Refuses an existing lock file that could not be used safely; a missing one is fine. */
  public static void inspect(Path lockDir, String resource) throws UserError {
    inspect(pathOf(lockDir, resource));
  }

  /** Refuses an existing file at {@code path} that could not be used safely as a lock. */
  public static void inspect(Path path) throws UserError {
    try {
      check(path, TrustedPath.lstat(path));
    } catch (NoSuchFileException e) {
      // the first job to want this resource creates it
    } catch (IOException e) {
      throw new UserError(UserError.CONFIG, "lock file " + path + ": " + e.getMessage());
    }
  }

  private static void check(Path path, Map<String, Object> a) throws UserError {
    if (TrustedPath.isSymlink(a)) {
      throw new UserError(UserError.CONFIG, "lock file " + path + ": is a symlink; refusing it");
    }
    if (!TrustedPath.isRegular(a)) {
      throw new UserError(UserError.CONFIG, "lock file " + path + ": not a regular file; refusing it");
    }
    int uid = (Integer) a.get("uid");
    int me = TrustedPath.euid();
    if (uid != me) {
      throw new UserError(
          UserError.CONFIG, "lock file " + path + ": owned by uid " + uid + ", not " + me + "; refusing it");
    }
  }

  public Path path() {
    return path;
  }

  /** The most a lock file may hold: a few hundred holders. A larger one was not written by rmonitor. */
  static final int MAX_SIZE = 1 << 20;

  public HolderFile read() throws UserError, IOException {
    return parse(path, readBounded(path, channel));
  }

  /**
   * Reads the state of {@code path} without its lock, as {@code rmonitor status} does: the same
   * checks as a job's (no symlink, a regular file of ours, at most {@link #MAX_SIZE}). A reader
   * may come in the middle of a rewrite, so a torn state is read again a few times first.
   */
  public static HolderFile peek(Path path) throws UserError, IOException, InterruptedException {
    HolderFile state = HolderFile.EMPTY;
    for (int attempt = 0; attempt < 5; attempt++) {
      Map<String, Object> a = TrustedPath.lstat(path);
      check(path, a);
      try (FileChannel ch = FileChannel.open(path, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
        state = parse(path, readBounded(path, ch));
      }
      if (state.intact()) return state;
      Thread.sleep(10); // a writer is between its write and its truncation
    }
    return state;
  }

  private static String readBounded(Path path, FileChannel channel) throws UserError, IOException {
    long size = channel.size();
    if (size > MAX_SIZE) {
      throw new UserError(UserError.CONFIG, "lock file " + path + ": larger than 1 MiB; refusing it");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) size);
    try {
      while (buf.hasRemaining() && channel.read(buf, buf.position()) > 0) {}
    } catch (IOException e) {
      throw failed(path, "cannot read", e);
    }
    return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
  }

  private static HolderFile parse(Path path, String text) throws UserError {
    try {
      return HolderFile.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UserError(UserError.CONFIG, "lock file " + path + ": " + e.getMessage());
    }
  }

  public void write(HolderFile state, String resource) throws IOException {
    write(state.format(resource));
  }

  /**
   * Replaces the file's content: the new text first, then the truncation to its length, never
   * the other way round. A crash in between leaves the new state followed by old bytes, which
   * the state's end line tells apart; truncating first would leave an empty file, "not prepared,
   * no holders", while holders run.
   */
  public void write(String text) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    try {
      while (buf.hasRemaining()) channel.write(buf, buf.position());
      channel.truncate(buf.limit());
      channel.force(false);
    } catch (IOException e) {
      throw failed(path, "cannot write the state", e); // a full disk says only "No space left on device"
    }
  }

  /** An I/O error of the channel, naming the file: the JDK's message alone names nothing. */
  private static IOException failed(Path path, String what, IOException e) {
    return new IOException("lock file " + path + ": " + what + ": " + e.getMessage(), e);
  }

  @Override
  public void close() throws IOException {
    try (channel) {
      lock.release();
    }
  }
}
