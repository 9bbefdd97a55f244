package org.rmonitor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The machine's defaults: a pure function of who we are, so --help makes no directory. */
class DefaultsTest {
  @Test
  void rootGetsADirectoryOnlyRootCanWriteAndVarLog() {
    Options.Defaults d = Options.Defaults.of(0, Map.of(), true, "/usr/local");
    assertThat(d).isEqualTo(new Options.Defaults(
        Path.of("/var/lock/rmonitor"), Path.of("/usr/local/lib/rmonitor"), Path.of("/var/log/rmonitor.undelivered")));
    assertThat(d.runtimeDir()).isEmpty();
  }

  @Test
  void anotherUserGetsVarLockIfWritableAndAPrivateDirectoryForTheRest() {
    Options.Defaults open = Options.Defaults.of(1000, Map.of(), true, "/opt");
    assertThat(open.lockDir()).isEqualTo(Path.of("/var/lock"));
    assertThat(open.fallback()).isEqualTo(Path.of("/tmp/rmonitor-1000/rmonitor.undelivered"));
    assertThat(open.runtimeDir()).contains(Path.of("/tmp/rmonitor-1000"));
    Options.Defaults closed = Options.Defaults.of(1000, Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), false, "/opt");
    assertThat(closed.lockDir()).isEqualTo(Path.of("/run/user/1000/rmonitor"));
    assertThat(closed.runtimeDir()).isEqualTo(Optional.of(Path.of("/run/user/1000/rmonitor")));
  }

  @Test
  void statusTakesOnlyAnAbsoluteLockDir() throws Exception {
    assertThat(StatusOptions.parse(List.of()).lockDir()).isEmpty();
    assertThat(StatusOptions.parse(List.of("--lock-dir", "/x")).lockDir()).contains(Path.of("/x"));
    assertThat(StatusOptions.parse(List.of("--lock-dir=/y")).lockDir()).contains(Path.of("/y"));
    assertThatThrownBy(() -> StatusOptions.parse(List.of("--lock")))
        .isInstanceOf(UsageException.class).hasMessageStartingWith("status: ");
    assertThatThrownBy(() -> StatusOptions.parse(List.of("extra"))).hasMessageContaining("unexpected argument 'extra'");
    assertThatThrownBy(() -> StatusOptions.parse(List.of("--lock-dir", "rel"))).hasMessageContaining("must be an absolute path");
  }
}
