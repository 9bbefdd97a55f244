package org.rmonitor.resource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.rmonitor.UserError;

/**
 * {@code EXIT_DIR/RESOURCE.conf}, a resource's settings, kept beside its exit because a resource
 * is defined where its exit lives. One key so far: {@code limit=N}, how many jobs may hold the
 * resource at once. Blank lines and lines starting with {@code #} are ignored. A missing file
 * means no limit; a file that is not understood is refused, never half read.
 */
public record ResourceConf(OptionalInt limit) {
  public static final ResourceConf NONE = new ResourceConf(OptionalInt.empty());

  /** The largest limit: the lock file, which lists holders and waiters, stays small. */
  public static final int MAX_LIMIT = 999;

  /** A settings file is a few lines; a larger one was not meant as one. */
  static final int MAX_SIZE = 64 * 1024;

  public static Path pathOf(Path exitDir, String resource) {
    return exitDir.resolve(resource + ".conf");
  }

  /**
   * Reads the resource's settings, checked as its exit program is (owner, mode, the directories
   * above): rmonitor runs as root, and a limit others could edit would let them stall root's jobs.
   */
  public static ResourceConf read(Path exitDir, String resource) throws UserError {
    Path file = pathOf(exitDir, resource);
    if (Files.notExists(file, LinkOption.NOFOLLOW_LINKS)) return NONE;
    String what = "settings of resource " + resource + ":";
    TrustedPath.checkSettings(file, what);
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_SIZE + 1);
    } catch (IOException e) {
      throw new UserError(UserError.CONFIG, what + " " + file + ": cannot read: " + e.getMessage());
    }
    if (bytes.length > MAX_SIZE) {
      throw new UserError(UserError.CONFIG, what + " " + file + ": larger than 64 KiB; refusing it");
    }
    try {
      return parse(new String(bytes, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new UserError(UserError.CONFIG, what + " " + file + " " + e.getMessage());
    }
  }

  /** Parses the text; an error names the line: {@code line 3: unknown key "limt"; ...}. */
  public static ResourceConf parse(String text) throws IllegalArgumentException {
    OptionalInt limit = OptionalInt.empty();
    int limitLine = 0;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip(); // a CR of a file edited on Windows, blanks around
      if (line.isEmpty() || line.startsWith("#")) continue;
      String at = "line " + (i + 1) + ": ";
      int eq = line.indexOf('=');
      if (eq < 0) throw new IllegalArgumentException(at + "not KEY=VALUE: " + quote(line));
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      if (!key.equals("limit")) {
        throw new IllegalArgumentException(at + "unknown key " + quote(key) + "; the only key is limit");
      }
      if (limitLine != 0) {
        throw new IllegalArgumentException(at + "limit is set twice (first on line " + limitLine + ")");
      }
      if (!value.matches("[0-9]{1,3}") || Integer.parseInt(value) < 1) {
        throw new IllegalArgumentException(
            at + "limit must be a whole number from 1 to " + MAX_LIMIT + ", not " + quote(value));
      }
      limit = OptionalInt.of(Integer.parseInt(value));
      limitLine = i + 1;
    }
    return new ResourceConf(limit);
  }

  /** The offending text in quotes, cut short, with control characters shown as {@code ?}. */
  private static String quote(String s) {
    String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
    StringBuilder q = new StringBuilder("\"");
    cut.codePoints().forEach(c -> q.appendCodePoint(Character.isISOControl(c) ? '?' : c));
    return q.append('"').toString();
  }
}
