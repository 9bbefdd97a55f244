package org.rmonitor.job;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.rmonitor.log.Destination;

/**
 * The message that tells how a job ended, as cron's mail would have: headers for sendmail(8)
 * (which reads the envelope from its arguments), then rmonitor's lines, the last lines of the
 * target's stderr and stdout, and how to find every line of the run in syslog. Pure: the facts
 * are given, nothing is looked up.
 *
 * @param user the user the job runs as, for {@code From:}
 * @param to the recipients, for {@code To:}; none for a message only a notify program reads
 * @param whereToLook shell commands that show the whole run, from {@link #whereToLook}
 */
public record FailureNotice(
    Job job, int status, String host, Optional<String> user, List<String> to, ZonedDateTime date, List<String> whereToLook) {

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
  /** RFC 5322: English names, a numeric zone (RFC 1123's formatter writes the obsolete "GMT"). */
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.US);

  public String subject() {
    return "rmonitor <" + user.map(u -> u + "@").orElse("") + host + "> " + job.path() + ": JOB Status " + status;
  }

  /** The whole message, headers first, lines ended by LF as sendmail reads them. */
  public String message(Transcript transcript) {
    StringBuilder m = new StringBuilder();
    m.append("From: ").append(user.orElse("rmonitor")).append(" (rmonitor on ").append(host).append(")\n");
    if (!to.isEmpty()) m.append("To: ").append(String.join(", ", to)).append('\n');
    m.append("Subject: ").append(encoded(subject())).append('\n');
    m.append("Date: ").append(DATE.format(date)).append('\n');
    m.append("MIME-Version: 1.0\n");
    m.append("Content-Type: text/plain; charset=UTF-8\n");
    m.append("Content-Transfer-Encoding: 8bit\n");
    // RFC 3834: no vacation autoreplies to a machine's mail.
    m.append("Auto-Submitted: auto-generated\n");
    m.append('\n');
    m.append(job.path()).append(", monitor PID ").append(job.pid()).append(" on ").append(host)
        .append(", ended with JOB Status ").append(status).append(".\n");
    m.append("Script: ").append(job.options().script()).append(", run by ").append(job.options().interpreter()).append(".\n");
    section(m, "rmonitor's lines", transcript.lifecycle());
    section(m, "Standard error", transcript.stderr());
    section(m, "Standard output", transcript.stdout());
    if (!whereToLook.isEmpty()) {
      m.append("\nEvery line of this run:\n");
      for (String c : whereToLook) m.append("  ").append(c).append('\n');
    }
    return m.toString();
  }

  private void section(StringBuilder m, String title, Transcript.Tail tail) {
    m.append('\n').append(title);
    if (tail.seen() == 0) {
      m.append(": none.\n");
      return;
    }
    if (tail.leftOut() == 0) {
      m.append(" (").append(lines(tail.seen())).append("):\n");
    } else {
      m.append(", the last ").append(lines(tail.lines().size())).append(" of ").append(tail.seen())
          .append(" (").append(tail.leftOut()).append(" left out):\n");
    }
    for (Transcript.Line l : tail.lines()) {
      m.append("  ").append(CLOCK.format(l.time().atZone(date.getZone()))).append(' ').append(l.text()).append('\n');
    }
  }

  private static String lines(long n) {
    return n == 1 ? "1 line" : n + " lines";
  }

  /**
   * A header value as is when it is printable ASCII, else as RFC 2047 encoded-words of at most 75
   * characters, each holding whole UTF-8 characters, on folded lines.
   */
  static String encoded(String value) {
    if (value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) return value;
    List<String> words = new ArrayList<>();
    StringBuilder chunk = new StringBuilder();
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      String c = Character.toString(cp);
      // 45 bytes are 60 in base64: "=?UTF-8?B?" + 60 + "?=" is 72 characters.
      if ((chunk + c).getBytes(StandardCharsets.UTF_8).length > 45) {
        words.add(word(chunk.toString()));
        chunk.setLength(0);
      }
      chunk.append(c);
      i += Character.charCount(cp);
    }
    if (!chunk.isEmpty()) words.add(word(chunk.toString()));
    return String.join("\n ", words);
  }

  private static String word(String s) {
    return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)) + "?=";
  }

  /**
   * Commands that show every line of the run where its log went: {@code grep -F} for the job's
   * tag, which both ident forms and the Launched line hold, and the fallback file if it exists.
   *
   * @param exists whether a file exists: which of the usual syslog files this system writes
   */
  public static List<String> whereToLook(Job job, Destination log, Path fallback, Predicate<Path> exists) {
    String grep = "grep -F " + shellQuoted(job.ident()) + " ";
    List<String> where = new ArrayList<>();
    switch (log.kind()) {
      case SYSLOG -> {
        // Debian writes /var/log/syslog, Slackware and Red Hat /var/log/messages; journald alone, neither.
        for (String f : List.of("/var/log/syslog", "/var/log/messages")) {
          if (exists.test(Path.of(f))) where.add(grep + f);
        }
        if (where.isEmpty()) where.add("journalctl | " + grep.strip());
      }
      case FILE -> where.add(grep + shellQuoted(log.target()));
      case UNIX -> where.add(grep + "FILE, on the files of the syslog daemon at " + log.target());
      case UDP, TCP, TLS -> where.add(grep + "FILE, on the files of the collector " + log.target());
      case STDERR -> {}
    }
    if (exists.test(fallback)) where.add(grep + shellQuoted(fallback.toString()) + "   (lines the log could not take)");
    return List.copyOf(where);
  }

  /** A word the shell reads back as it is: single quotes, and {@code '\''} for a quote within. */
  static String shellQuoted(String s) {
    return s.matches("[A-Za-z0-9_./:=@%+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}
