package org.rmonitor.job;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rmonitor.UserError;
import org.rmonitor.cli.OverlapPolicy;
import org.rmonitor.cli.Options;
import org.rmonitor.log.CollectorCheck;
import org.rmonitor.log.Destination;
import org.rmonitor.log.Tls;
import org.rmonitor.resource.LockFile;
import org.rmonitor.resource.ResourceConf;
import org.rmonitor.resource.TrustedPath;

/**
 * Everything checked before anything starts: a job that cannot run is refused with one line on
 * stderr while cron is still listening, not discovered later in a log nobody reads.
 */
public final class Preflight {
  private Preflight() {}

  public static void check(Options o, PrintStream err) throws UserError {
    Path script = o.script();
    if (!Files.exists(script)) throw new UserError(UserError.NO_INPUT, "script " + script + ": no such file");
    if (!Files.isRegularFile(script)) throw new UserError(UserError.NO_INPUT, "script " + script + ": not a regular file");
    if (!Files.isReadable(script)) throw new UserError(UserError.NO_INPUT, "script " + script + ": not readable");

    Path interpreter = o.interpreter();
    if (!Files.exists(interpreter)) throw new UserError(UserError.NO_INPUT, "interpreter " + interpreter + ": no such file");
    if (!Files.isRegularFile(interpreter) || !Files.isExecutable(interpreter)) {
      throw new UserError(UserError.NO_INPUT, "interpreter " + interpreter + ": not an executable file");
    }
    if (namesRmonitor(interpreter)) {
      throw new UserError(
          UserError.NO_INPUT,
          "interpreter " + interpreter + " is itself an rmonitor script: it would start"
              + " another rmonitor, not run " + script);
    }

    lockDirectory(o);
    if (!Files.isWritable(o.lockDir())) {
      throw new UserError(UserError.CONFIG, "lock directory " + o.lockDir() + ": not writable");
    }
    if (o.overlap() != OverlapPolicy.ALLOW) LockFile.inspect(Overlap.pathOf(o.lockDir(), o.script()));
    for (String r : o.resources()) {
      LockFile.inspect(o.lockDir(), r);
      TrustedPath.checkProgram(o.exitDir().resolve(r + ".exit"), "exit program for resource " + r + ":");
      ResourceConf.read(o.exitDir(), r); // a limit that is not understood must not surface at 4 am
    }

    // A mailer or notify program named on purpose must be there; the default sendmail may be
    // missing (most machines have no mail server), which is a WARNING when a mail is due.
    if (o.notice().sendmail().isPresent()) TrustedPath.checkProgram(o.notice().sendmail().get(), "sendmail program");
    if (o.notice().notifyProgram().isPresent()) TrustedPath.checkProgram(o.notice().notifyProgram().get(), "notify program");

    requireFileIn(o.fallback(), "fallback file");
    Destination log = o.log();
    if (log.kind() == Destination.Kind.FILE) requireFileIn(Path.of(log.target()), "log file");
    if (log.tlsCa().isPresent()) checkCaFile(log.tlsCa().get());
    if (log.isSocket() && !Files.exists(Path.of(log.target()))) {
      err.println(
          "rmonitor: WARNING log socket " + log.target() + " is not there (is a syslog daemon"
              + " running?); lines go to " + o.fallback() + " until it is");
    }
    if (log.isRemote()) {
      CollectorCheck.problem(log, COLLECTOR_CHECK)
          .ifPresent(
              problem ->
                  err.println(
                      "rmonitor: WARNING log collector " + log + " " + problem + "; lines go to " + o.fallback()
                          + " until it can be reached"));
    }
  }

  /** Checks (and for root's default, makes) the lock directory: at launch and in the monitor. */
  public static void lockDirectory(Options o) throws UserError {
    if (o.lockDir().equals(Options.Defaults.ROOT_LOCK_DIR) && TrustedPath.euid() == 0) {
      TrustedPath.rootOnlyDirectory(o.lockDir(), "lock directory");
    }
    TrustedPath.checkDirectory(o.lockDir(), "lock directory");
  }

  /** How long the launcher waits to learn whether a remote collector answers. */
  static final java.time.Duration COLLECTOR_CHECK = java.time.Duration.ofSeconds(1);

  /** A file rmonitor appends to: its directory must exist, and it must not be one itself. */
  private static void requireFileIn(Path file, String what) throws UserError {
    Path dir = file.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new UserError(UserError.CONFIG, what + " " + file + ": directory " + dir + " does not exist");
    }
    if (Files.isDirectory(file)) throw new UserError(UserError.CONFIG, what + " " + file + ": is a directory");
  }

  private static void checkCaFile(Path ca) throws UserError {
    if (!Files.isRegularFile(ca)) throw new UserError(UserError.CONFIG, "TLS CA file " + ca + ": no such file");
    if (!Files.isReadable(ca)) throw new UserError(UserError.CONFIG, "TLS CA file " + ca + ": not readable");
    try {
      Tls.trustStore(ca);
    } catch (IOException e) {
      throw new UserError(UserError.CONFIG, "TLS CA file " + e.getMessage());
    }
  }

  /**
   * Makes sure the fallback file is a regular file of ours before the monitor's stderr is
   * appended to it by path: created as FileSink creates it (mode 0640, never through a symlink),
   * and refused if it is a symlink or another user's. In a sticky directory nobody else can then
   * swap it.
   */
  public static void fallbackFile(Path file) throws UserError {
    try (var unused =
        java.nio.channels.FileChannel.open(
            file,
            java.util.Set.of(
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.APPEND,
                java.nio.file.LinkOption.NOFOLLOW_LINKS),
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----")))) {
      int uid = (Integer) Files.getAttribute(file, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
      if (uid != TrustedPath.euid()) {
        throw new UserError(UserError.CONFIG, "fallback file " + file + ": owned by uid " + uid + "; refusing it");
      }
    } catch (IOException e) {
      throw new UserError(UserError.CONFIG, "fallback file " + file + ": cannot open (a symlink?): " + e.getMessage());
    }
  }

  /** True for a file whose {@code #!} line names rmonitor: running it as an interpreter recurses. */
  static boolean namesRmonitor(Path file) {
    String first = firstLine(file);
    return first.startsWith("#!") && first.substring(2).strip().split("\\s+")[0].endsWith("rmonitor");
  }

  /** True for a file that starts with {@code #!}: a script, not an interpreter. */
  public static boolean startsWithHashbang(Path file) {
    return firstLine(file).startsWith("#!");
  }

  private static String firstLine(Path file) {
    if (!Files.isRegularFile(file)) return "";
    // A FileInputStream, not Files.newInputStream: no channel classes to set up on run-parts' clock.
    try (var in = new java.io.FileInputStream(file.toFile())) {
      byte[] head = in.readNBytes(256); // the kernel reads no more of a #! line either
      String s = new String(head, StandardCharsets.ISO_8859_1);
      int nl = s.indexOf('\n');
      return nl >= 0 ? s.substring(0, nl) : s;
    } catch (IOException e) {
      return "";
    }
  }
}
