package org.rmonitor.log;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Opens connections to a remote collector: UDP (a connected datagram socket, so a closed port is
 * reported by the kernel instead of silently eating lines), TCP, or TLS over TCP with the
 * collector's name checked against its certificate. Connect and handshake are bounded; a name
 * lookup is not (the resolver's own timeouts apply), which is why this runs off the job's path.
 */
final class Connector {
  /** The most a connect, and then a TLS handshake, may take. */
  static final Duration CONNECT_BOUND = Duration.ofSeconds(5);

  private final Destination to;
  private final SSLContext tls;
  private final Duration bound;

  Connector(Destination to, SSLContext tls, Duration bound) {
    this.to = to;
    this.tls = tls;
    this.bound = bound;
  }

  Connection open() throws IOException {
    InetSocketAddress address = new InetSocketAddress(to.host(), to.port());
    if (address.isUnresolved()) throw new UnknownHostException("unknown host " + to.host());
    if (to.kind() == Destination.Kind.UDP) return datagram(address);
    Socket plain = new Socket();
    try {
      plain.connect(address, (int) bound.toMillis());
      if (to.kind() == Destination.Kind.TCP) return stream(plain, plain, plain.getOutputStream());
      SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(plain, to.host(), to.port(), true);
      SSLParameters p = secure.getSSLParameters();
      p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the collector
      secure.setSSLParameters(p);
      plain.setSoTimeout((int) bound.toMillis()); // bounds the handshake's reads
      secure.startHandshake();
      plain.setSoTimeout(0);
      return stream(plain, secure, secure.getOutputStream());
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  /** What went wrong, in an administrator's words rather than a JDK class name. */
  static String describe(Exception e) {
    if (e instanceof javax.net.ssl.SSLHandshakeException) {
      Throwable root = e;
      while (root.getCause() != null) root = root.getCause();
      if (root instanceof java.security.cert.CertPathBuilderException) {
        return "TLS handshake failed: its certificate is not signed by a CA trusted here (see --tls-ca)";
      }
      return "TLS handshake failed: " + root.getMessage();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  private static Connection datagram(InetSocketAddress address) throws IOException {
    DatagramChannel channel = DatagramChannel.open();
    channel.connect(address);
    return new Connection() {
      @Override
      public void write(byte[] frame) throws IOException {
        channel.write(ByteBuffer.wrap(frame));
      }

      @Override
      public void abort() {
        close();
      }

      @Override
      public void close() {
        try {
          channel.close();
        } catch (IOException e) {
          // nothing is lost by a datagram socket's close
        }
      }
    };
  }

  /** {@code plain} is closed to abort; {@code socket}, the TLS one if any, to end politely. */
  private static Connection stream(Socket plain, Socket socket, OutputStream out) {
    return new Connection() {
      @Override
      public void write(byte[] frame) throws IOException {
        out.write(frame); // unbuffered: one frame, one write(2) or one TLS record
      }

      @Override
      public void abort() {
        try {
          plain.close();
        } catch (IOException e) {
          // closed either way
        }
      }

      @Override
      public void close() {
        try {
          socket.close();
        } catch (IOException e) {
          abort();
        }
      }
    };
  }
}
