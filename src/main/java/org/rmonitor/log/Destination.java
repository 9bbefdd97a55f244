package org.rmonitor.log;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where log lines go, as written in {@code --log} or {@code RMONITOR_LOG}, and how: {@code target}
 * is a path for the local kinds, {@code host:port} for the remote ones; {@code framing} how TCP
 * and TLS delimit messages; {@code maxMessage} the most bytes of one message, header included
 * ({@code --max-message}); {@code tlsCa} a PEM file of the CAs a TLS collector is trusted by
 * ({@code --tls-ca}), else the system's.
 */
public record Destination(Kind kind, String target, Framing framing, int maxMessage, Optional<Path> tlsCa) {
  public enum Kind {
    SYSLOG,
    UNIX,
    STDERR,
    FILE,
    UDP,
    TCP,
    TLS
  }

  /** RFC 6587: octet counting ({@code LEN SP MSG}, the default), or a LF after each message. */
  public enum Framing {
    OCTET,
    LF
  }

  public static final String DEV_LOG = "/dev/log";

  /**
   * A local daemon's default: busybox syslogd keeps 1023 bytes of a datagram and silently drops
   * the rest (SmallDaemonIT), classic sysklogd reads 1 KiB lines too; 1000 is safe for both.
   */
  public static final int LOCAL_MAX_MESSAGE = 1000;

  /** A remote collector's default: RFC 5424 section 6.1, receivers SHOULD accept 2048 bytes. */
  public static final int REMOTE_MAX_MESSAGE = 2048;

  /** RFC 5424 section 6.1: every receiver MUST accept 480 bytes; UDP carries at most 65507. */
  public static final int MIN_MAX_MESSAGE = 480;

  public static final int MAX_MAX_MESSAGE = 65000;

  public Destination {
    if (maxMessage < MIN_MAX_MESSAGE || maxMessage > MAX_MAX_MESSAGE) {
      throw new IllegalArgumentException(
          "a message size of " + maxMessage + " bytes is not between " + MIN_MAX_MESSAGE + " and " + MAX_MAX_MESSAGE);
    }
  }

  public Destination(Kind kind, String target) {
    this(kind, target, Framing.OCTET, defaultMaxMessage(kind), Optional.empty());
  }

  public Destination withMaxMessage(int bytes) {
    return new Destination(kind, target, framing, bytes, tlsCa);
  }

  public Destination withTlsCa(Path caFile) {
    return new Destination(kind, target, framing, maxMessage, Optional.of(caFile));
  }

  private static int defaultMaxMessage(Kind kind) {
    return isRemote(kind) ? REMOTE_MAX_MESSAGE : LOCAL_MAX_MESSAGE;
  }

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

  /**
   * {@code udp://host[:514]}, {@code tcp://host[:514][?framing=lf]}, {@code
   * tls://host[:6514][?framing=lf]}; IPv6 in brackets.
   */
  private static Destination remote(String text) {
    Kind kind = Kind.valueOf(text.substring(0, 3).toUpperCase(Locale.ROOT));
    String scheme = kind.name().toLowerCase(Locale.ROOT);
    String form = kind == Kind.UDP ? "://HOST[:PORT]" : "://HOST[:PORT][?framing=lf]";
    IllegalArgumentException wrong =
        new IllegalArgumentException("log destination '" + text + "' must be " + scheme + form);
    java.net.URI uri;
    try {
      uri = new java.net.URI(text);
    } catch (java.net.URISyntaxException e) {
      throw wrong;
    }
    String host = uri.getHost();
    boolean onlyHostAndPort =
        (uri.getPath() == null || uri.getPath().isEmpty()) && uri.getUserInfo() == null && uri.getFragment() == null;
    if (host == null || !onlyHostAndPort || uri.getAuthority().endsWith(":")) throw wrong;
    Framing framing = Framing.OCTET;
    if (uri.getQuery() != null) {
      if (kind == Kind.UDP) throw wrong;
      framing =
          switch (uri.getQuery()) {
            case "framing=lf" -> Framing.LF;
            case "framing=octet" -> Framing.OCTET;
            default -> throw wrong;
          };
    }
    int port = uri.getPort() >= 0 ? uri.getPort() : kind == Kind.TLS ? 6514 : 514;
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("log destination '" + text + "': port " + port + " is not between 1 and 65535");
    }
    return new Destination(kind, host + ":" + port, framing, REMOTE_MAX_MESSAGE, Optional.empty());
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

  public boolean isRemote() {
    return isRemote(kind);
  }

  private static boolean isRemote(Kind kind) {
    return kind == Kind.UDP || kind == Kind.TCP || kind == Kind.TLS;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case SYSLOG -> "syslog";
      case STDERR -> "stderr";
      case UNIX -> "unix:" + target;
      case FILE -> "file:" + target;
      case UDP, TCP, TLS ->
          kind.name().toLowerCase(Locale.ROOT) + "://" + target + (framing == Framing.LF ? "?framing=lf" : "");
    };
  }
}
