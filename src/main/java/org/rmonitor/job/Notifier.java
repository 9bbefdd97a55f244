package org.rmonitor.job;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rmonitor.cli.Notice;
import org.rmonitor.log.Severity;
import org.rmonitor.proc.BoundedRun.Outcome;

/**
 * After {@code JOB Status}: mails the job's end when {@code --mail} says so, as cron would have
 * (detached from cron, the job's output no longer reaches cron's mail), and runs the notify
 * program. Neither changes the job's status: a mailer that is missing, fails or hangs costs one
 * {@code WARNING} line, and at most the bound before it is killed.
 */
public final class Notifier {
  /** Runs a program with {@code input} on its stdin, killing it after a bound. */
  public interface Runner {
    Outcome run(List<String> command, Map<String, String> env, byte[] input) throws InterruptedException;
  }

  private final Job job;
  private final Notice notice;
  private final JobLog log;
  private final Transcript transcript;
  private final Runner runner;
  private final String host;
  private final Optional<String> user;
  private final List<String> whereToLook;

  public Notifier(
      Job job, JobLog log, Transcript transcript, Runner runner, String host, Optional<String> user, List<String> whereToLook) {
    this.job = job;
    this.notice = job.options().notice();
    this.log = log;
    this.transcript = transcript;
    this.runner = runner;
    this.host = host;
    this.user = user;
    this.whereToLook = whereToLook;
  }

  /** Tells whom it may concern that the job ended with {@code status}; never throws. */
  public void after(int status) {
    boolean mail = notice.mail().mails(status);
    if (!mail && notice.notifyProgram().isEmpty()) return;
    try {
      Recipients to = Recipients.of(notice, user);
      byte[] message =
          new FailureNotice(job, status, host, user, to.addresses(), ZonedDateTime.now(), whereToLook)
              .message(transcript)
              .getBytes(StandardCharsets.UTF_8);
      if (mail) mail(to, message);
      if (notice.notifyProgram().isPresent()) notify(notice.notifyProgram().get(), status, message);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the monitor is being stopped; the status stands
    } catch (RuntimeException e) {
      warn("WARNING MAIL: rmonitor failed: " + e);
    }
  }

  private void mail(Recipients to, byte[] message) throws InterruptedException {
    if (to.problem().isPresent()) {
      warn("WARNING MAIL not sent: " + to.problem().get());
      return;
    }
    if (to.addresses().isEmpty()) return; // MAILTO="": cron mails nobody either
    Path sendmail = notice.sendmailProgram();
    if (!Files.isExecutable(sendmail)) {
      warn("WARNING MAIL not sent to " + to.joined() + ": no " + sendmail
          + (notice.sendmail().isEmpty() ? " (install a mail server, or set --sendmail, or --mail never)" : ""));
      return;
    }
    // As cron runs it: -i, so a line holding only "." does not end the message; the recipients as
    // arguments (none starts with '-'), the headers and the body on stdin.
    List<String> command = new ArrayList<>(List.of(sendmail.toString(), "-i"));
    command.addAll(to.addresses());
    report("MAIL to " + to.joined() + ":", sendmail, runner.run(command, Map.of(), message));
  }

  private void notify(Path program, int status, byte[] message) throws InterruptedException {
    Map<String, String> env =
        Map.of(
            "RMONITOR_JOB", job.path(),
            "RMONITOR_STATUS", Integer.toString(status),
            "RMONITOR_PID", Long.toString(job.pid()),
            "RMONITOR_HOST", host);
    report("NOTIFY", program, runner.run(List.of(program.toString()), env, message));
  }

  private void report(String what, Path program, Outcome outcome) {
    switch (outcome) {
      case Outcome.Exited(int s, String output) when s != 0 ->
          warn("WARNING " + what + " " + program + " exited with status " + s + (output.isEmpty() ? "" : ": " + output));
      case Outcome.Exited e -> {}
      case Outcome.Killed(var bound) ->
          warn("WARNING " + what + " " + program + " did not end within " + bound.toSeconds() + "s; killed it");
      case Outcome.NotStarted(String reason) -> warn("WARNING " + what + " cannot run " + program + ": " + reason);
    }
  }

  private void warn(String line) {
    log.monitor(Severity.WARNING, line);
  }
}
