package org.rmonitor.log;

import java.nio.file.Path;

/**
 * Where log lines go, as written in {@code --log} or {@code RMONITOR_LOG}. {@code target} is a
 * path for the local kinds, {@code host:port} for the remote ones.
 */
public record Destination(Kind kind, String target) {
  public enum Kind {
    SYSLOG,
    UNIX,
    STDERR,
    FILE,
    UDP,
    TCP,
    TLS
  }

  public static final String DEV_LOG = "/dev/log";

  /** Parses a destination, or throws with a message that names what is wrong. */
  public static Destination parse(String text) {
    if (text.equals("syslog")) return new Destination(Kind.SYSLOG, DEV_LOG);
    if (text.equals("stderr")) return new Destination(Kind.STDERR, "");
    if (text.startsWith("unix:")) return new Destination(Kind.UNIX, absolute(text, 5));
    if (text.startsWith("file:")) return new Destination(Kind.FILE, absolute(text, 5));
    if (text.matches("(udp|tcp|tls)://.*")) return remote(text);
    throw new IllegalArgumentException(
        "log destination '" + text + "' is none of syslog, unix:PATH, stderr, file:PATH,"
            + " udp://HOST[:PORT], tcp://HOST[:PORT], tls://HOST[:PORT]");
  }

  private static String absolute(String text, int from) {
    String path = text.substring(from);
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException(
          "log destination '" + text + "' needs an absolute path after '" + text.substring(0, from) + "'");
    }
    return Path.of(path).normalize().toString();
  }

  /** {@code udp://host[:514]}, {@code tcp://host[:514]}, {@code tls://host[:6514]}; IPv6 in brackets. */
  private static Destination remote(String text) {
    Kind kind = Kind.valueOf(text.substring(0, 3).toUpperCase(java.util.Locale.ROOT));
    IllegalArgumentException wrong =
        new IllegalArgumentException(
            "log destination '" + text + "' must be " + kind.name().toLowerCase(java.util.Locale.ROOT) + "://HOST[:PORT]");
    java.net.URI uri;
    try {
      uri = new java.net.URI(text);
    } catch (java.net.URISyntaxException e) {
      throw wrong;
    }
    String host = uri.getHost();
    boolean onlyHostAndPort =
        (uri.getPath() == null || uri.getPath().isEmpty()) && uri.getQuery() == null && uri.getUserInfo() == null;
    if (host == null || !onlyHostAndPort) throw wrong;
    int port = uri.getPort() >= 0 ? uri.getPort() : kind == Kind.TLS ? 6514 : 514;
    return new Destination(kind, host + ":" + port);
  }

  /** For a remote kind: the host (brackets of an IPv6 address removed). */
  public String host() {
    String h = target.substring(0, target.lastIndexOf(':'));
    return h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
  }

  /** For a remote kind: the port. */
  public int port() {
    return Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
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
      case UDP, TCP, TLS -> kind.name().toLowerCase(java.util.Locale.ROOT) + "://" + target;
    };
  }
}
