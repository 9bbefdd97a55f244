package org.rmonitor.job;

import java.util.List;
import java.util.Optional;
import org.rmonitor.cli.AddressList;
import org.rmonitor.cli.Notice;
import org.rmonitor.cli.UsageException;

/**
 * Who a job's notice is mailed to, by cron's rules: {@code MAILTO}'s addresses; nobody when it is
 * set but empty; when it is unset, the user the job runs as, as cron mails a crontab's owner.
 * {@code --mail-to} overrides all three. A {@code MAILTO} that cannot be used is a {@code problem},
 * logged when a mail is due, never a reason to refuse the job: cron itself would run the job.
 */
public record Recipients(List<String> addresses, Optional<String> problem) {
  public static Recipients of(Notice notice, Optional<String> user) {
    if (notice.mailTo().isPresent()) return new Recipients(notice.mailTo().get(), Optional.empty());
    Optional<String> mailto = notice.cronMailto();
    if (mailto.isPresent() && mailto.get().isBlank()) return new Recipients(List.of(), Optional.empty());
    if (mailto.isPresent()) return parse(mailto.get(), "MAILTO: ");
    if (user.isEmpty()) {
      return new Recipients(List.of(), Optional.of("MAILTO is unset and the job's user has no name; set MAILTO or --mail-to"));
    }
    return parse(user.get(), "the job's user: ");
  }

  private static Recipients parse(String list, String source) {
    try {
      return new Recipients(AddressList.parse(list), Optional.empty());
    } catch (UsageException e) {
      return new Recipients(List.of(), Optional.of(source + e.getMessage()));
    }
  }

  /** The addresses as a {@code To:} header and log lines show them. */
  public String joined() {
    return String.join(", ", addresses);
  }

  /**
   * The name of the user {@code uid}, the effective uid the job runs as: its entry in
   * {@code passwd} (the lines of /etc/passwd), else {@code nssName}, Java's {@code user.name} (looked
   * up through NSS, so LDAP users too, for the real uid: the same one under cron), else root for 0.
   */
  public static Optional<String> userName(int uid, List<String> passwd, String nssName) {
    for (String entry : passwd) {
      String[] f = entry.split(":", -1);
      if (f.length >= 3 && f[2].equals(Integer.toString(uid)) && !f[0].isEmpty()) return Optional.of(f[0]);
    }
    if (nssName != null && !nssName.isBlank() && !nssName.equals("?")) return Optional.of(nssName);
    return uid == 0 ? Optional.of("root") : Optional.empty();
  }
}
