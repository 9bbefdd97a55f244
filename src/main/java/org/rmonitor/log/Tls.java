package org.rmonitor.log;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Whom a TLS collector is trusted by: the CAs of a PEM file given with {@code --tls-ca}, else the
 * JDK's trust store, which the Java packages of Debian, Ubuntu and Fedora keep as the system's
 * ({@code /etc/ssl/certs/java/cacerts}, updated by update-ca-certificates). A binary store loads
 * in a fraction of the time the system's PEM bundle of 140-odd certificates takes to parse, and
 * the launcher pays it. No {@code JAVA_TOOL_OPTIONS}, whose notice would end up in every cron
 * mail.
 */
public final class Tls {
  private Tls() {}

  public static SSLContext context(Optional<Path> caFile) throws IOException {
    try {
      if (caFile.isEmpty()) return SSLContext.getDefault();
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trustStore(caFile.get()));
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("TLS: " + e.getMessage(), e);
    }
  }

  /** The certificates of a PEM file, or an error that names the file and what is wrong. */
  public static KeyStore trustStore(Path pem) throws IOException {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca" + n++, c);
      }
      if (n == 0) throw new IOException(pem + ": no PEM certificate in it");
      return store;
    } catch (GeneralSecurityException e) {
      throw new IOException(pem + ": not PEM certificates (" + e.getMessage() + ")", e);
    }
  }
}
