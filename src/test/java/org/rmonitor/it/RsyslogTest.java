package org.rmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The private-rsyslogd harness itself, driven with util-linux logger. */
@Timeout(30)
class RsyslogTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String TAG = "21.daily.backup.etc[123]";

    @TempDir
    Path dir;

    private Rsyslog syslog;

    @BeforeEach
    void start() {
        syslog = Rsyslog.start(dir);
    }

    @AfterEach
    void stop() {
        if (syslog != null) {
            syslog.close();
        }
    }

    @Test
    void receivesFacilitySeverityTagAndMessage() throws Exception {
        assertThat(syslog.socket()).exists();
        assertThat(syslog.lines()).isEmpty();
        assertThat(syslog.detailLines()).isEmpty();

        logger("local1.info", TAG, "JOB Begins");
        logger("local1.err", TAG, "JOB Failed: exit 3");

        List<String> lines = syslog.awaitLines(l -> l.size() >= 2, WAIT);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).endsWith(" " + TAG + ": JOB Begins");
        assertThat(lines.get(1)).endsWith(" " + TAG + ": JOB Failed: exit 3");
        // Traditional format: "Mmm dd hh:mm:ss host tag: msg"
        assertThat(lines.get(0)).matches("[A-Z][a-z]{2} [ \\d]\\d \\d{2}:\\d{2}:\\d{2} \\S+ .*");

        List<String> detail = syslog.awaitDetailLines(l -> l.size() >= 2, WAIT);
        assertThat(detail).containsExactly(
            "local1.info " + TAG + ": JOB Begins",
            "local1.err " + TAG + ": JOB Failed: exit 3");

        // rsyslogd's own "start" message is kept out of both files.
        assertThat(Files.readString(syslog.internalLog())).contains("rsyslogd", "start");
    }

    @Test
    void noRateLimiting() throws Exception {
        int n = 2000;
        List<String> sent = IntStream.range(0, n).mapToObj(i -> "flood message %04d".formatted(i)).toList();
        loggerStdin("local1.info", "flood[7]", sent);

        List<String> detail = syslog.awaitDetailLines(l -> l.size() >= n, WAIT);
        assertThat(detail).hasSize(n);
        assertThat(detail).containsExactlyElementsOf(sent.stream().map(m -> "local1.info flood[7]: " + m).toList());
        List<String> lines = syslog.awaitLines(l -> l.size() >= n, WAIT);
        assertThat(lines).hasSize(n);
        assertThat(lines).noneMatch(l -> l.contains("repeated") || l.contains("rsyslogd"));
    }

    @Test
    void restartKeepsSocketAndFiles() throws Exception {
        logger("local1.info", TAG, "before restart");
        syslog.awaitDetailLines(l -> l.contains("local1.info " + TAG + ": before restart"), WAIT);
        long oldPid = syslog.pid();

        syslog.restart();

        assertThat(syslog.pid()).isNotEqualTo(oldPid);
        assertThat(ProcessHandle.of(oldPid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
        assertThat(syslog.isAlive()).isTrue();
        assertThat(syslog.socket()).exists();

        logger("local1.err", TAG, "after restart");
        List<String> detail = syslog.awaitDetailLines(l -> l.size() >= 2, WAIT);
        assertThat(detail).containsExactly(
            "local1.info " + TAG + ": before restart",
            "local1.err " + TAG + ": after restart");
        List<String> lines = syslog.awaitLines(l -> l.size() >= 2, WAIT);
        assertThat(lines.get(0)).endsWith(" " + TAG + ": before restart");
        assertThat(lines.get(1)).endsWith(" " + TAG + ": after restart");
    }

    @Test
    void closeKillsRsyslogdAndIsIdempotent() {
        long pid = syslog.pid();
        syslog.close();
        syslog.close();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(syslog.socket()).doesNotExist(); // rsyslogd removes it on SIGTERM
    }

    // logger without --rfc3164/--rfc5424 sends the local format "<PRI>Mmm dd hh:mm:ss TAG: MSG",
    // which imuxsock parses as given; --rfc3164 would add a hostname that imuxsock takes for the tag.
    private void logger(String priority, String tag, String message) throws Exception {
        run(List.of("logger", "--socket", syslog.socket().toString(), "-p", priority, "-t", tag, message), null);
    }

    /** One logger process, one message per stdin line. */
    private void loggerStdin(String priority, String tag, List<String> messages) throws Exception {
        run(List.of("logger", "--socket", syslog.socket().toString(), "-p", priority, "-t", tag),
            String.join("\n", messages) + "\n");
    }

    private void run(List<String> command, String stdin) throws IOException, InterruptedException {
        Path err = Files.createTempFile(dir, "logger", ".err");
        Process p = new ProcessBuilder(new ArrayList<>(command))
            .redirectError(err.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("logger finished").isTrue();
            assertThat(p.exitValue()).as("logger exit status; stderr: %s", Files.readString(err)).isZero();
        } finally {
            p.destroyForcibly();
        }
    }
}
