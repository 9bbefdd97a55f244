package org.rmonitor.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DestinationTest {
  @Test
  void localKinds() {
    assertThat(Destination.parse("syslog")).isEqualTo(new Destination(Destination.Kind.SYSLOG, "/dev/log"));
    assertThat(Destination.parse("unix:/run/x/../log.sock").target()).isEqualTo("/run/log.sock");
    assertThat(Destination.parse("file:/var/log/jobs")).hasToString("file:/var/log/jobs");
    assertThatThrownBy(() -> Destination.parse("file:jobs")).hasMessageContaining("needs an absolute path");
  }

  @Test
  void remoteKindsWithDefaultPorts() {
    Destination udp = Destination.parse("udp://loghost");
    assertThat(udp.kind()).isEqualTo(Destination.Kind.UDP);
    assertThat(udp.host()).isEqualTo("loghost");
    assertThat(udp.port()).isEqualTo(514);
    assertThat(Destination.parse("tls://loghost.example.org").port()).isEqualTo(6514);
    Destination v6 = Destination.parse("tcp://[::1]:1514");
    assertThat(v6.host()).isEqualTo("::1");
    assertThat(v6.port()).isEqualTo(1514);
    assertThat(v6).hasToString("tcp://[::1]:1514");
  }

  @Test
  void anythingElseIsNamedInTheError() {
    assertThatThrownBy(() -> Destination.parse("udp://")).hasMessage("log destination 'udp://' must be udp://HOST[:PORT]");
    assertThatThrownBy(() -> Destination.parse("tcp://user@h:1")).hasMessageContaining("must be tcp://HOST[:PORT]");
    assertThatThrownBy(() -> Destination.parse("http://h")).hasMessageContaining("is none of syslog");
  }

  @Test
  void anAppNameIsPrintableAsciiOfAtMost48() {
    assertThat(Rfc5424.appName("21.daily.backup.etc")).isEqualTo("21.daily.backup.etc");
    assertThat(Rfc5424.appName("bäckup job")).isEqualTo("b_ckup_job");
    assertThat(Rfc5424.appName("x".repeat(60))).hasSize(48);
  }
}
