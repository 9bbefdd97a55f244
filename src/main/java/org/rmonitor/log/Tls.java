package org.rmonitor.log;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Whom a TLS collector is trusted by: the CAs of a PEM file given with {@code --tls-ca}, else the
 * system's bundle (where the administrator's own CAs go with update-ca-certificates), else the
 * JDK's own store. No {@code JAVA_TOOL_OPTIONS}, whose notice would end up in every cron mail.
 */
public final class Tls {
  /** Where Debian, Slackware, Fedora and SUSE, then Alpine and the BSDs keep the system's CAs. */
  private static final List<Path> SYSTEM_BUNDLES =
      List.of(
          Path.of("/etc/ssl/certs/ca-certificates.crt"),
          Path.of("/etc/pki/tls/certs/ca-bundle.crt"),
          Path.of("/etc/ssl/ca-bundle.pem"),
          Path.of("/etc/ssl/cert.pem"));

  private Tls() {}

  public static SSLContext context(Optional<Path> caFile) throws IOException {
    Optional<Path> pem = caFile.or(() -> SYSTEM_BUNDLES.stream().filter(Files::isReadable).findFirst());
    try {
      if (pem.isEmpty()) return SSLContext.getDefault();
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trustStore(pem.get()));
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
