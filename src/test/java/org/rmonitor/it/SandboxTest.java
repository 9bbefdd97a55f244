package org.rmonitor.it;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An end-to-end test class: each test gets its own {@link Sandbox} with a private rsyslogd, and
 * everything it started is killed afterwards. A subclass's own {@code @BeforeEach} runs after
 * this one's, with {@code box} ready.
 */
@Timeout(90)
abstract class SandboxTest {
  @TempDir Path tmp;
  Sandbox box;

  @BeforeEach
  final void openSandbox() throws Exception {
    box = new Sandbox(tmp, extraSyslogInputs());
  }

  /** More inputs for the test's rsyslogd (network listeners), none by default. */
  String extraSyslogInputs() throws Exception {
    return "";
  }

  @AfterEach
  final void closeSandbox() {
    box.close();
  }
}
