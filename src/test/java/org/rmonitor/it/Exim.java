package org.rmonitor.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A real mail server for one test: Debian's Exim 4, unpacked by bin/test into target/mta and never
 * installed, with its own configuration, spool, log and one mbox file, all in the test's
 * directory. Exim looks up its compiled-in user, Debian-exim, before it reads any configuration,
 * and refuses to run as root without one; that user exists only in a private mount namespace
 * ({@code unshare -m}) whose /etc/passwd and /etc/group are bind-mounted copies with one more
 * line, so the machine's own files, spool and log are never touched.
 */
final class Exim {
  /** Where bin/test unpacks it; override with -Dexim=/path/to/dir holding exim4 and lib/. */
  static final Path HOME = Path.of(System.getProperty("exim", Path.of(System.getProperty("user.dir"), "target", "mta").toString()));

  final Path sendmail;
  final Path mbox;
  final Path log;

  private Exim(Path sendmail, Path mbox, Path log) {
    this.sendmail = sendmail;
    this.mbox = mbox;
    this.log = log;
  }

  /** Why it cannot run here, or null: it needs the unpacked binary, root, and mount namespaces. */
  static String unavailable() throws IOException, InterruptedException {
    if (!Files.isExecutable(HOME.resolve("exim4"))) return "no Exim in " + HOME + " (bin/test unpacks one)";
    if (!System.getProperty("user.name").equals("root")) return "Exim's private namespace needs root";
    Process p = new ProcessBuilder("unshare", "-m", "true").redirectErrorStream(true).start();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) return "unshare -m is not permitted here";
    return null;
  }

  /** Sets Exim up in {@code dir} (made world-searchable: Exim delivers as its own user). */
  static Exim in(Path dir) throws IOException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path root = Files.createDirectories(dir.resolve("mta"));
    int uid = freeId(Path.of("/etc/passwd"));
    int gid = freeId(Path.of("/etc/group"));
    Path passwd = Files.writeString(root.resolve("passwd"),
        Files.readString(Path.of("/etc/passwd")) + "Debian-exim:x:" + uid + ":" + gid + "::/nonexistent:/usr/sbin/nologin\n");
    Path group = Files.writeString(root.resolve("group"), Files.readString(Path.of("/etc/group")) + "Debian-exim:x:" + gid + ":\n");
    Path spool = Files.createDirectories(root.resolve("spool"));
    Path log = Files.createDirectories(root.resolve("log"));
    Path mail = Files.createDirectories(root.resolve("mail"));
    for (Path p : List.of(spool, log, mail)) {
      Files.setAttribute(p, "unix:uid", uid);
      Files.setAttribute(p, "unix:gid", gid);
    }
    Path conf = Files.writeString(root.resolve("exim.conf"), """
        # One test's Exim: every recipient's mail is appended to one mbox file.
        exim_path = %1$s/exim4
        spool_directory = %2$s
        log_file_path = %3$s/%%slog
        primary_hostname = rmonitor.test
        qualify_domain = rmonitor.test
        keep_environment = LD_LIBRARY_PATH
        begin routers
        everyone:
          driver = accept
          transport = mbox
        begin transports
        mbox:
          driver = appendfile
          file = %4$s/mbox
          user = Debian-exim
          envelope_to_add
          return_path_add
        begin retry
        * * F,1m,1m
        """.formatted(HOME, spool, log, mail), StandardCharsets.UTF_8);
    // -odi: deliver before returning, so the mbox is written when rmonitor's sendmail call ends.
    Path sendmail = Sandbox.executable(root.resolve("sendmail"), """
        #!/bin/sh
        # sendmail(8) for the test: Exim in a mount namespace of its own, where its user exists.
        LD_LIBRARY_PATH=%1$s/lib; export LD_LIBRARY_PATH
        exec unshare -m sh -c 'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/group && shift 2 && exec "$@"' \\
          sh %2$s %3$s %1$s/exim4 -C %4$s -odi "$@"
        """.formatted(HOME, passwd, group, conf));
    return new Exim(sendmail, mail.resolve("mbox"), log.resolve("mainlog"));
  }

  /** An id that no entry of {@code file} (passwd or group) uses, counting down from 65530. */
  private static int freeId(Path file) throws IOException {
    Set<String> used = new HashSet<>();
    for (String line : Files.readAllLines(file)) {
      String[] f = line.split(":", -1);
      if (f.length > 2) used.add(f[2]);
    }
    int id = 65530;
    while (used.contains(Integer.toString(id))) id--;
    return id;
  }
}
