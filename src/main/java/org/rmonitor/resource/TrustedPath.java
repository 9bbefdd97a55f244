package org.rmonitor.resource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.rmonitor.UserError;

/**
 * Checks that a file rmonitor will run or lock, usually as root, cannot have been put there by
 * anyone else: it and every directory above it are owned by root or by us, and writable by nobody
 * else. A root-owned directory with the sticky bit (/tmp, /var/lock) is safe, as nobody else can
 * rename or remove what is in it.
 */
public final class TrustedPath {
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFLNK = 0120000;
  private static final int S_ISVTX = 01000;
  private static final int GROUP_OR_OTHER_WRITE = 0022;

  private TrustedPath() {}

  /** The effective user id of this process: /proc/self belongs to it. */
  public static int euid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read /proc/self", e);
    }
  }

  /** lstat(2): the attributes of the path itself, not of what a symlink points to. */
  static Map<String, Object> lstat(Path p) throws IOException {
    return Files.readAttributes(p, "unix:mode,uid,ino,dev", LinkOption.NOFOLLOW_LINKS);
  }

  static int mode(Map<String, Object> a) {
    return (Integer) a.get("mode");
  }

  static boolean isRegular(Map<String, Object> a) {
    return (mode(a) & S_IFMT) == S_IFREG;
  }

  static boolean isSymlink(Map<String, Object> a) {
    return (mode(a) & S_IFMT) == S_IFLNK;
  }

  /**
   * Makes (or checks) a directory that only this user can enter: 0700, owned by us, not a
   * symlink. In /tmp another user could have made it first; then it is refused, not used.
   */
  public static Path privateDirectory(Path dir) throws UserError {
    try {
      Files.createDirectory(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // checked below
    } catch (IOException e) {
      throw new UserError(UserError.CONFIG, "runtime directory " + dir + ": " + e.getMessage());
    }
    Map<String, Object> a = attributes(dir, "runtime directory " + dir);
    if ((mode(a) & S_IFMT) != S_IFDIR || (Integer) a.get("uid") != euid() || (mode(a) & 077) != 0) {
      throw new UserError(UserError.CONFIG,
          "runtime directory " + dir + ": not a directory of mode 700 owned by uid " + euid() + "; refusing it");
    }
    return dir;
  }

  /**
   * Makes (or checks) a directory only root can write: owned by root, mode 0755 or stricter, not
   * a symlink. One that someone else made first, or that others can write, is refused.
   */
  public static void rootOnlyDirectory(Path dir, String what) throws UserError {
    try {
      Files.createDirectory(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
    } catch (java.nio.file.FileAlreadyExistsException e) {
      // checked below
    } catch (IOException e) {
      throw new UserError(UserError.CONFIG, what + " " + dir + ": cannot create: " + e.getMessage());
    }
    Map<String, Object> a = attributes(dir, what + " " + dir);
    if ((mode(a) & S_IFMT) != S_IFDIR) {
      throw new UserError(UserError.CONFIG, what + " " + dir + ": not a directory (a symlink?); refusing it");
    }
    if ((Integer) a.get("uid") != 0 || (mode(a) & GROUP_OR_OTHER_WRITE) != 0) {
      throw new UserError(UserError.CONFIG,
          what + " " + dir + ": owned by uid " + a.get("uid") + " with mode " + Integer.toOctalString(mode(a) & 07777)
              + "; only root may write it, so it is refused (remove it, rmonitor makes it anew)");
    }
  }

  /** Checks every directory from {@code dir} up to /, following symlinks as the kernel would. */
  public static void checkDirectory(Path dir, String what) throws UserError {
    Path real;
    try {
      real = dir.toRealPath();
    } catch (NoSuchFileException e) {
      throw new UserError(UserError.CONFIG, what + " " + dir + ": no such directory");
    } catch (IOException e) {
      throw new UserError(UserError.CONFIG, what + " " + dir + ": " + e.getMessage());
    }
    int me = euid();
    for (Path p = real; p != null; p = p.getParent()) {
      Map<String, Object> a = attributes(p, what);
      if ((mode(a) & S_IFMT) != S_IFDIR) {
        throw new UserError(UserError.CONFIG, what + " " + dir + ": " + p + " is not a directory");
      }
      checkOwnerAndWriters(p, a, me, what + " " + dir);
    }
  }

  /** Checks a program and the directories above it before rmonitor runs it. */
  public static void checkProgram(Path program, String what) throws UserError {
    checkFile(program, what, true);
  }

  /**
   * Checks a file rmonitor reads its settings from (a resource's {@code .conf}) as an exit
   * program is checked, but for the executable bit: whoever can write it can change what root's
   * jobs do just as whoever can write the exit.
   */
  public static void checkSettings(Path file, String what) throws UserError {
    checkFile(file, what, false);
  }

  private static void checkFile(Path program, String what, boolean executable) throws UserError {
    checkDirectory(program.getParent(), what + " " + program + ": directory");
    Path real;
    try {
      real = program.toRealPath();
    } catch (NoSuchFileException e) {
      throw new UserError(UserError.CONFIG, what + " " + program + ": no such file");
    } catch (IOException e) {
      throw new UserError(UserError.CONFIG, what + " " + program + ": " + e.getMessage());
    }
    if (!real.getParent().equals(program.getParent().toAbsolutePath())) {
      checkDirectory(real.getParent(), what + " " + program + " -> " + real + ": directory");
    }
    Map<String, Object> a = attributes(real, what);
    if (!isRegular(a)) {
      throw new UserError(UserError.CONFIG, what + " " + program + ": not a regular file");
    }
    if (executable && !Files.isExecutable(real)) {
      throw new UserError(UserError.CONFIG, what + " " + program + ": not executable");
    }
    checkOwnerAndWriters(real, a, euid(), what + " " + program);
  }

  private static Map<String, Object> attributes(Path p, String what) throws UserError {
    try {
      return lstat(p);
    } catch (IOException e) {
      throw new UserError(UserError.CONFIG, what + ": cannot read " + p + ": " + e.getMessage());
    }
  }

  private static void checkOwnerAndWriters(Path p, Map<String, Object> a, int me, String what)
      throws UserError {
    int uid = (Integer) a.get("uid");
    int mode = mode(a);
    if (uid != 0 && uid != me) {
      throw new UserError(
          UserError.CONFIG, what + ": " + p + " is owned by uid " + uid + ", not by root or uid " + me);
    }
    boolean stickyRootDir = (mode & S_IFMT) == S_IFDIR && (mode & S_ISVTX) != 0 && uid == 0;
    if ((mode & GROUP_OR_OTHER_WRITE) != 0 && !stickyRootDir) {
      throw new UserError(
          UserError.CONFIG,
          what + ": " + p + " is writable by others (mode " + Integer.toOctalString(mode & 07777)
              + ")");
    }
  }
}
