package org.rmonitor.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the end of a job is made known. Cron mails a job's output when it ends; a detached job's
 * output goes to syslog instead, so rmonitor mails the failure itself, through sendmail(8) and by
 * cron's {@code MAILTO} rules, and can run a notify program after every job.
 *
 * @param mailTo {@code --mail-to}: these addresses instead of cron's rules
 * @param cronMailto {@code MAILTO} as cron set it: absent when unset, empty for "mail nobody"
 * @param sendmail {@code --sendmail}, which must exist at launch; when absent, {@link
 *     #DEFAULT_SENDMAIL}, which most machines without a mail server lack: that is no launch error
 * @param timeout how long sendmail or the notify program may run before it is killed
 */
public record Notice(
    MailPolicy mail,
    Optional<List<String>> mailTo,
    Optional<String> cronMailto,
    Optional<Path> sendmail,
    Optional<Path> notifyProgram,
    Duration timeout) {
  public static final Path DEFAULT_SENDMAIL = Path.of("/usr/sbin/sendmail");
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /** Cron's defaults: failures mailed by {@code MAILTO}, through /usr/sbin/sendmail, no notify. */
  public static Notice cron(Optional<String> cronMailto) {
    return new Notice(MailPolicy.ON_FAILURE, Optional.empty(), cronMailto, Optional.empty(), Optional.empty(), DEFAULT_TIMEOUT);
  }

  public Path sendmailProgram() {
    return sendmail.orElse(DEFAULT_SENDMAIL);
  }

  /** Whether anything is to be told at all: if not, the job's lines need not be kept. */
  public boolean wanted() {
    return mail != MailPolicy.NEVER || notifyProgram.isPresent();
  }
}
