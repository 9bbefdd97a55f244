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

  /**
   * Opens and locks the file, waiting for any other holder of the lock. The lock directory is
   * often writable by all: a symlink, a non-regular file, or a file owned by someone else in its
   * place is refused, before and after the open, so a swap in between is caught too.
   */
  public static LockFile acquire(Path lockDir, String resource) throws UserError, IOException {
    return acquire(pathOf(lockDir, resource));
  }

  /** Locks {@code path} if no other process holds it; never waits. */
  public static Optional<LockFile> tryAcquire(Path path) throws UserError, IOException {
    return open(path, false);
  }

  /** Locks {@code path}, waiting for any other holder. */
  public static LockFile acquire(Path path) throws UserError, IOException {
    return open(path, true).orElseThrow();
  }

  private static Optional<LockFile> open(Path path, boolean wait) throws UserError, IOException {
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
      FileLock lock = wait ? channel.lock() : channel.tryLock();
      if (lock == null) {
        channel.close();
        return Optional.empty();
      }
      return Optional.of(new LockFile(path, channel, lock));
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

  public HolderFile read() throws UserError, IOException {
    long size = channel.size();
    if (size > 1 << 20) {
      throw new UserError(UserError.CONFIG, "lock file " + path + ": larger than 1 MiB; refusing it");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) size);
    while (buf.hasRemaining() && channel.read(buf, buf.position()) > 0) {}
    try {
      return HolderFile.parse(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new UserError(UserError.CONFIG, "lock file " + path + ": " + e.getMessage());
    }
  }

  public void write(HolderFile state, String resource) throws IOException {
    write(state.format(resource));
  }

  /** Replaces the file's content; others read it without the lock, so it is one short write. */
  public void write(String text) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    channel.truncate(0);
    while (buf.hasRemaining()) channel.write(buf, buf.position());
    channel.force(false);
  }

  @Override
  public void close() throws IOException {
    try (channel) {
      lock.release();
    }
  }
}
