package org.rmonitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.rmonitor.cli.MailPolicy;
import org.rmonitor.cli.Notice;

/** Cron's MAILTO rules, and --mail-to over them. */
class RecipientsTest {
  static final Optional<String> ROOT = Optional.of("root");

  static Recipients of(String mailto, Optional<String> user) {
    return Recipients.of(Notices.cron(mailto), user);
  }

  @Test
  void mailtoSetAndNotEmptyNamesTheRecipients() {
    assertThat(of("ops@example.org", ROOT).addresses()).containsExactly("ops@example.org");
    assertThat(of("ops@example.org, dba@example.org", ROOT).addresses()).containsExactly("ops@example.org", "dba@example.org");
    assertThat(of("ops@example.org", ROOT).problem()).isEmpty();
  }

  @Test
  void mailtoSetButEmptyMailsNobody() {
    assertThat(of("", ROOT).addresses()).isEmpty();
    assertThat(of("", ROOT).problem()).isEmpty();
    assertThat(of("  ", ROOT).addresses()).isEmpty();
  }

  @Test
  void mailtoUnsetMailsTheJobsUser() {
    assertThat(of(null, ROOT).addresses()).containsExactly("root");
    assertThat(of(null, Optional.of("backup")).addresses()).containsExactly("backup");
    Recipients nobody = of(null, Optional.empty());
    assertThat(nobody.addresses()).isEmpty();
    assertThat(nobody.problem()).contains("MAILTO is unset and the job's user has no name; set MAILTO or --mail-to");
  }

  @Test
  void mailToOverridesMailtoEvenWhenEmpty() {
    Notice n = new Notice(MailPolicy.ON_FAILURE, Optional.of(List.of("pager@example.org")), Optional.of(""),
        Optional.empty(), Optional.empty(), Notice.DEFAULT_TIMEOUT);
    assertThat(Recipients.of(n, ROOT).addresses()).containsExactly("pager@example.org");
  }

  @Test
  void anUnsafeMailtoIsAProblemNotARecipient() {
    Recipients r = of("-oQ/tmp/x", ROOT);
    assertThat(r.addresses()).isEmpty();
    assertThat(r.problem()).get().asString().startsWith("MAILTO: address '-oQ/tmp/x'").contains("option");
  }

  @Test
  void theUserIsTheEffectiveUidsNameInPasswdThenJavasThenRootForZero() {
    List<String> passwd = List.of("root:x:0:0:root:/root:/bin/bash", "toor:x:0:0::/root:/bin/sh", "backup:x:34:34:backup:/var/backups:/usr/sbin/nologin", "# comment", "");
    assertThat(Recipients.userName(0, passwd, "someone")).contains("root");
    assertThat(Recipients.userName(34, passwd, "someone")).contains("backup");
    assertThat(Recipients.userName(1000, passwd, "ldapuser")).as("not in /etc/passwd: NSS's answer").contains("ldapuser");
    assertThat(Recipients.userName(1000, passwd, "?")).isEmpty();
    assertThat(Recipients.userName(0, List.of(), "?")).contains("root");
  }
}
