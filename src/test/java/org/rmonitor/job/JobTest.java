package org.rmonitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rmonitor.cli.Options;
import org.rmonitor.cli.OverlapPolicy;
import org.rmonitor.log.Destination;

class JobTest {
  static Job job(Path script) {
    return Job.of(
        new Options(false, List.of("UsbBackup"), Path.of("/bin/sh"), script, List.of(), script, script,
            Destination.parse("stderr"), script, Duration.ZERO, java.util.Optional.empty(), OverlapPolicy.ALLOW,
            org.rmonitor.cli.Notice.cron(java.util.Optional.empty())),
        10200);
  }

  @Test
  void namesComeFromTheScriptsPath() throws Exception {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      Job j = job(fs.getPath("/etc/cron.daily/21.daily.backup.etc"));
      assertThat(j.base()).isEqualTo("cron.daily");
      assertThat(j.name()).isEqualTo("21.daily.backup.etc");
      assertThat(j.ident()).isEqualTo("21.daily.backup.etc[10200]");
      assertThat(j.path()).isEqualTo("cron.daily/21.daily.backup.etc");
      assertThat(job(fs.getPath("/job")).base()).isEqualTo("/");
    }
  }

  @Test
  void hostileFileNamesCannotBreakTheSyslogTag() throws Exception {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      Job j = job(fs.getPath("/etc/cron daily/a b:c\nd"));
      assertThat(j.ident()).isEqualTo("a\\x20b\\x3ac\\x0ad[10200]");
      assertThat(j.base()).isEqualTo("cron\\x20daily");
    }
  }
}
