package org.rmonitor.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.ParseException;
import org.rmonitor.log.Destination;

/**
 * Reads rmonitor's arguments and environment into {@link Options}: a pure function of its
 * inputs, with every check that involves more than one value in this one place.
 *
 * <p>Two shapes reach it. From the kernel, for {@code #!/usr/local/bin/rmonitor -L A,B /bin/bash}:
 * {@code ["-L A,B /bin/bash", SCRIPT, ARGS...]} — the first argument holds blanks, is split into
 * words, and the script is always the argument after it. Typed by hand: {@code [-L, A,B,
 * /bin/bash, SCRIPT, ARGS...]}. There, the word after the resource list is the script when it is
 * the only word, or when it is a file that starts with {@code #!}; otherwise it is the
 * interpreter and the script follows it.
 */
public final class OptionsParser {
  static final org.apache.commons.cli.Options OPTIONS = new org.apache.commons.cli.Options();

  static {
    OPTIONS.addOption("L", "long-name", false, "log rmonitor's own lines with ident rmonitor");
    OPTIONS.addOption(Option.builder().longOpt("lock-dir").hasArg().argName("DIR").build());
    OPTIONS.addOption(Option.builder().longOpt("exit-dir").hasArg().argName("DIR").build());
    OPTIONS.addOption(Option.builder().longOpt("log").hasArg().argName("DEST").build());
    OPTIONS.addOption(Option.builder().longOpt("fallback").hasArg().argName("FILE").build());
    OPTIONS.addOption(Option.builder().longOpt("max-message").hasArg().argName("BYTES").build());
    OPTIONS.addOption(Option.builder().longOpt("tls-ca").hasArg().argName("FILE").build());
    OPTIONS.addOption(Option.builder().longOpt("grace").hasArg().argName("SECONDS").build());
    OPTIONS.addOption(Option.builder().longOpt("timeout").hasArg().argName("TIME").build());
    OPTIONS.addOption(Option.builder().longOpt("overlap").hasArg().argName("POLICY").build());
    OPTIONS.addOption(Option.builder().longOpt("mail").hasArg().argName("WHEN").build());
    OPTIONS.addOption(Option.builder().longOpt("mail-to").hasArg().argName("ADDRESSES").build());
    OPTIONS.addOption(Option.builder().longOpt("sendmail").hasArg().argName("PATH").build());
    OPTIONS.addOption(Option.builder().longOpt("notify").hasArg().argName("PROGRAM").build());
    OPTIONS.addOption(Option.builder().longOpt("mail-timeout").hasArg().argName("SECONDS").build());
    OPTIONS.addOption("h", "help", false, "show help");
    OPTIONS.addOption("V", "version", false, "show version");
  }

  private OptionsParser() {}

  /**
   * @param startsWithHashbang tells whether a file begins with {@code #!}; it resolves the one
   *     ambiguity of a command typed by hand
   */
  public static Invocation parse(
      List<String> argv,
      Map<String, String> env,
      Options.Defaults defaults,
      Predicate<Path> startsWithHashbang)
      throws UsageException {
    boolean fromKernel = !argv.isEmpty() && Hashbang.isHashbangArgument(argv.getFirst());
    List<String> words = fromKernel ? Hashbang.split(argv.getFirst()) : argv;
    CommandLine cl;
    try {
      cl = DefaultParser.builder().setAllowPartialMatching(false).build().parse(OPTIONS, words.toArray(String[]::new), true);
    } catch (ParseException e) {
      throw new UsageException(e.getMessage() + " (try rmonitor --help)");
    }
    if (cl.hasOption("help")) return new Invocation.Help();
    if (cl.hasOption("version")) return new Invocation.Version();

    List<String> positional = cl.getArgList();
    if (positional.isEmpty()) {
      throw new UsageException("no resource list given (try rmonitor --help)");
    }
    if (positional.getFirst().startsWith("-")) {
      // Parsing stopped at the first word it did not know; a resource list never starts with '-'.
      throw new UsageException("unknown option '" + positional.getFirst() + "' (try rmonitor --help)");
    }
    List<String> resources = ResourceList.parse(positional.getFirst());
    List<String> after = positional.subList(1, positional.size());

    String interpreter;
    String script;
    List<String> scriptArgs;
    if (fromKernel) {
      if (after.size() > 1) {
        throw new UsageException(
            "hashbang line '" + argv.getFirst() + "' has more than one word after the resource list "
                + resources.size() + ": " + after);
      }
      interpreter = after.isEmpty() ? null : after.getFirst();
      if (argv.size() < 2) throw new UsageException("no script after '" + argv.getFirst() + "'");
      script = argv.get(1);
      scriptArgs = argv.subList(2, argv.size());
    } else {
      if (after.isEmpty()) {
        throw new UsageException("no script after the resource list '" + positional.getFirst() + "'");
      }
      boolean scriptFirst = after.size() == 1 || startsWithHashbang.test(Path.of(after.getFirst()));
      interpreter = scriptFirst ? null : after.getFirst();
      script = scriptFirst ? after.getFirst() : after.get(1);
      scriptArgs = after.subList(scriptFirst ? 1 : 2, after.size());
    }
    if (interpreter != null && !interpreter.contains("/")) {
      throw new UsageException(
          "interpreter '" + interpreter + "' must be a path, like /bin/" + interpreter);
    }

    return new Invocation.Run(
        new Options(
            cl.hasOption("long-name"),
            resources,
            interpreter == null ? Options.DEFAULT_INTERPRETER : Path.of(interpreter),
            Path.of(script).toAbsolutePath().normalize(),
            List.copyOf(scriptArgs),
            path(cl, env, "lock-dir", "RMONITOR_LOCK_DIR", defaults.lockDir()),
            path(cl, env, "exit-dir", "RMONITOR_EXIT_DIR", defaults.exitDir()),
            destination(cl, env),
            path(cl, env, "fallback", "RMONITOR_FALLBACK", defaults.fallback()),
            grace(cl, env),
            timeout(cl, env),
            overlap(cl, env),
            notice(cl, env)));
  }

  /** The option's value, else the environment variable's, else null; with where it came from. */
  private record Setting(String value, String source) {}

  private static Setting setting(CommandLine cl, Map<String, String> env, String opt, String var) {
    if (cl.hasOption(opt)) return new Setting(cl.getOptionValue(opt), "--" + opt);
    String v = env.get(var);
    return v == null || v.isEmpty() ? null : new Setting(v, var);
  }

  private static Path path(
      CommandLine cl, Map<String, String> env, String opt, String var, Path fallback)
      throws UsageException {
    Setting s = setting(cl, env, opt, var);
    if (s == null) return fallback;
    if (!s.value().startsWith("/")) {
      throw new UsageException(s.source() + " '" + s.value() + "' must be an absolute path");
    }
    return Path.of(s.value()).normalize();
  }

  private static Destination destination(CommandLine cl, Map<String, String> env)
      throws UsageException {
    Setting s = setting(cl, env, "log", "RMONITOR_LOG");
    Destination d;
    try {
      d = Destination.parse(s == null ? "syslog" : s.value());
    } catch (IllegalArgumentException e) {
      throw new UsageException(s.source() + ": " + e.getMessage());
    }
    Setting size = setting(cl, env, "max-message", "RMONITOR_MAX_MESSAGE");
    if (size != null) {
      int bytes = size.value().matches("[0-9]{1,6}") ? Integer.parseInt(size.value()) : -1;
      if (bytes < Destination.MIN_MAX_MESSAGE || bytes > Destination.MAX_MAX_MESSAGE) {
        throw new UsageException(
            size.source() + " '" + size.value() + "' must be a number of bytes from "
                + Destination.MIN_MAX_MESSAGE + " to " + Destination.MAX_MAX_MESSAGE);
      }
      d = d.withMaxMessage(bytes);
    }
    // A CA file only matters to a TLS collector; set in a crontab, it must not break the others.
    Path ca = path(cl, env, "tls-ca", "RMONITOR_TLS_CA", null);
    return ca != null && d.kind() == Destination.Kind.TLS ? d.withTlsCa(ca) : d;
  }

  private static Duration grace(CommandLine cl, Map<String, String> env) throws UsageException {
    Setting s = setting(cl, env, "grace", "RMONITOR_GRACE");
    if (s == null) return Duration.ofSeconds(30);
    if (!s.value().matches("[0-9]{1,6}")) {
      throw new UsageException(s.source() + " '" + s.value() + "' must be whole seconds, like 30");
    }
    return Duration.ofSeconds(Long.parseLong(s.value()));
  }

  /** A runtime limit: whole seconds, or with s, m or h; "none" (the default) for no limit. */
  private static Optional<Duration> timeout(CommandLine cl, Map<String, String> env)
      throws UsageException {
    Setting s = setting(cl, env, "timeout", "RMONITOR_TIMEOUT");
    if (s == null || s.value().equals("none")) return Optional.empty();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,6})([smh]?)").matcher(s.value());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new UsageException(
          s.source() + " '" + s.value() + "' must be a time like 90, 90s, 45m or 6h, or none");
    }
    long n = Long.parseLong(m.group(1));
    return Optional.of(
        switch (m.group(2)) {
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofSeconds(n);
        });
  }

  private static OverlapPolicy overlap(CommandLine cl, Map<String, String> env) throws UsageException {
    Setting s = setting(cl, env, "overlap", "RMONITOR_OVERLAP");
    if (s == null) return OverlapPolicy.ALLOW;
    return switch (s.value()) {
      case "allow" -> OverlapPolicy.ALLOW;
      case "skip" -> OverlapPolicy.SKIP;
      case "wait" -> OverlapPolicy.WAIT;
      default -> throw new UsageException(s.source() + " '" + s.value() + "' must be allow, skip or wait");
    };
  }

  private static Notice notice(CommandLine cl, Map<String, String> env) throws UsageException {
    Setting when = setting(cl, env, "mail", "RMONITOR_MAIL");
    MailPolicy mail =
        when == null ? MailPolicy.ON_FAILURE
            : switch (when.value()) {
              case "on-failure" -> MailPolicy.ON_FAILURE;
              case "always" -> MailPolicy.ALWAYS;
              case "never" -> MailPolicy.NEVER;
              default -> throw new UsageException(
                  when.source() + " '" + when.value() + "' must be on-failure, always or never");
            };
    Setting to = setting(cl, env, "mail-to", "RMONITOR_MAILTO");
    Optional<List<String>> mailTo = Optional.empty();
    if (to != null) {
      try {
        mailTo = Optional.of(AddressList.parse(to.value()));
      } catch (UsageException e) {
        throw new UsageException(to.source() + ": " + e.getMessage());
      }
    }
    Setting seconds = setting(cl, env, "mail-timeout", "RMONITOR_MAIL_TIMEOUT");
    if (seconds != null && !seconds.value().matches("0*[1-9][0-9]{0,5}")) {
      throw new UsageException(seconds.source() + " '" + seconds.value() + "' must be whole seconds, like 60");
    }
    return new Notice(
        mail,
        mailTo,
        // Cron's own variable: set but empty means "mail nobody", so here empty is not unset.
        Optional.ofNullable(env.get("MAILTO")),
        Optional.ofNullable(path(cl, env, "sendmail", "RMONITOR_SENDMAIL", null)),
        Optional.ofNullable(path(cl, env, "notify", "RMONITOR_NOTIFY", null)),
        seconds == null ? Notice.DEFAULT_TIMEOUT : Duration.ofSeconds(Long.parseLong(seconds.value())));
  }

  public static final String HELP =
      """
      Usage: rmonitor [OPTIONS] RESOURCE[,RESOURCE...] [INTERPRETER] SCRIPT [ARG...]
        as a hashbang:  #!/usr/local/bin/rmonitor [OPTIONS] RESOURCE[,...] [INTERPRETER]
             rmonitor status [--lock-dir DIR]   running jobs, their phases; resources
             rmonitor report [--host NAME]... [LOGFILE...]
                                                each run in syslog files (.gz too, or
                                                stdin), by host: lines, wait, run, status

      Runs SCRIPT with INTERPRETER (default /bin/sh) in the background under a monitor
      that logs its lifecycle and output to syslog (facility local1), runs
      EXIT_DIR/RESOURCE.exit PREP before the first job that needs a resource and
      RESOURCE.exit POST after the last, and returns at once. EXIT_DIR/RESOURCE.conf
      may hold limit=N: at most N jobs hold the resource at once, the others wait
      their turn in the order they came.

      A resource name is 7 to 20 characters of A-Z a-z 0-9 - _.
      Typed by hand, the word after the resource list is the script when it is the
      only word or a file starting with #!; otherwise it is the interpreter.

      Options (each also set by the environment variable shown):
        -L, --long-name       log rmonitor's own lines as "rmonitor: JOB[PID]: ..."
            --lock-dir DIR    lock and holder files (RMONITOR_LOCK_DIR, /var/lock)
            --exit-dir DIR    RESOURCE.exit programs (RMONITOR_EXIT_DIR, PREFIX/lib/rmonitor)
            --log DEST        syslog | unix:PATH | stderr | file:PATH | udp://HOST[:PORT]
                              | tcp://HOST[:PORT] | tls://HOST[:PORT] (RMONITOR_LOG, syslog)
                              tcp and tls frame messages by octet counting; add
                              ?framing=lf for a LF after each instead
            --fallback FILE   lines the log cannot take (RMONITOR_FALLBACK,
                              /var/log/rmonitor.undelivered)
            --max-message BYTES
                              the most bytes of one message, header included; a
                              longer line comes in parts marked [1/+] ... [N/N]
                              (RMONITOR_MAX_MESSAGE, 1000 local, 2048 remote)
            --tls-ca FILE     PEM CA certificates a tls:// collector is trusted by
                              (RMONITOR_TLS_CA, the JDK's store: the system's)
            --grace SECONDS   from a relayed signal to SIGKILL (RMONITOR_GRACE, 30)
            --timeout TIME    end the target as SIGTERM would after TIME: 90, 90s,
                              45m, 6h (RMONITOR_TIMEOUT, none)
            --overlap POLICY  a run of this script is still going: allow, skip this
                              run, or wait for that one (RMONITOR_OVERLAP, allow)
            --mail WHEN       mail the job's end through sendmail: on-failure, always
                              or never (RMONITOR_MAIL, on-failure); to MAILTO as cron
                              does: unset, the job's user; empty, nobody
            --mail-to ADDRS   comma-separated, instead of MAILTO (RMONITOR_MAILTO)
            --sendmail PATH   run as PATH -i ADDR... with the message on stdin
                              (RMONITOR_SENDMAIL, /usr/sbin/sendmail)
            --notify PROGRAM  run after every job, given RMONITOR_STATUS and the
                              message on stdin (RMONITOR_NOTIFY, none)
            --mail-timeout SECONDS
                              sendmail or PROGRAM is killed after this
                              (RMONITOR_MAIL_TIMEOUT, 60)
        -h, --help            this help
        -V, --version         the version

      Exit status: 0 launched; 64 usage error; 66 script or interpreter unusable;
      69 no Java 25 or later found; 71 the monitor could not be started;
      78 configuration (lock dir, exit program, RESOURCE.conf, log destination,
      fallback file, TLS CA file, --sendmail, --notify) missing, malformed or unsafe.
      See rmonitor(1).
      """;
}
