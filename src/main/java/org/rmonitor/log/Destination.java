package org.rmonitor.log;

import java.nio.file.Path;

/** Where log lines go, as written in {@code --log} or {@code RMONITOR_LOG}. */
public record Destination(Kind kind, String target) {
  public enum Kind {
    SYSLOG,
    UNIX,
    STDERR,
    FILE
  }

  public static final String DEV_LOG = "/dev/log";

  /** Parses a destination, or throws with a message that names what is wrong. */
  public static Destination parse(String text) {
    if (text.equals("syslog")) return new Destination(Kind.SYSLOG, DEV_LOG);
    if (text.equals("stderr")) return new Destination(Kind.STDERR, "");
    if (text.startsWith("unix:")) return new Destination(Kind.UNIX, absolute(text, 5));
    if (text.startsWith("file:")) return new Destination(Kind.FILE, absolute(text, 5));
    if (text.matches("(udp|tcp|tls)://.*")) {
      throw new IllegalArgumentException(
          "log destination '" + text + "': remote collectors are not supported by this version");
    }
    throw new IllegalArgumentException(
        "log destination '" + text + "' is none of syslog, unix:PATH, stderr, file:PATH");
  }

  private static String absolute(String text, int from) {
    String path = text.substring(from);
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(
          "log destination '" + text + "' needs an absolute path after '" + text.substring(0, from) + "'");
    }
    return Path.of(path).normalize().toString();
  }

  /** The socket path for the two socket kinds. */
  public boolean isSocket() {
    return kind == Kind.SYSLOG || kind == Kind.UNIX;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case SYSLOG -> "syslog";
      case STDERR -> "stderr";
      case UNIX -> "unix:" + target;
      case FILE -> "file:" + target;
    };
  }
}
