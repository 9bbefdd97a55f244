package org.rmonitor.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A private rsyslogd for tests: its own config, Unix socket, pid file, work directory and output
 * files, all inside one directory. Nothing under /etc, /dev/log or /var is read or written (checked
 * with strace against rsyslog 8.2302): no system socket, no imklog, internal messages are processed
 * by this instance itself instead of being sent to /dev/log.
 *
 * <p>Every message received on {@link #socket()} is written twice:
 * <ul>
 *   <li>{@link #messages()} in {@code RSYSLOG_TraditionalFileFormat}:
 *       {@code Nov 25 02:29:39 host 21.daily.backup.etc[123]: JOB Begins}</li>
 *   <li>{@link #detail()}: {@code local1.info 21.daily.backup.etc[123]: JOB Begins}</li>
 * </ul>
 * rsyslogd's own messages (the "[origin software="rsyslogd" ...] start" line and any errors) go to
 * {@link #internalLog()} only, so the two files above hold exactly what the tests sent.
 *
 * <p>What this rsyslog (imuxsock, default settings) does to what it receives, learned by trying:
 * <ul>
 *   <li>Parsing: imuxsock uses its own parser for the local format {@code <PRI>Mmm dd hh:mm:ss TAG: MSG}
 *       (what glibc syslog(3) and {@code logger --socket} without --rfc3164/--rfc5424 send). The
 *       sender's timestamp is ignored (reception time is used) and no hostname is parsed: the first
 *       word after the timestamp is the tag, up to and including the ':' (tags longer than 32 chars
 *       are kept whole). So {@code logger --rfc3164} (which adds a hostname) makes the hostname the
 *       tag, and {@code logger --rfc5424} is not parsed at all (the whole 5424 header lands in msg).
 *       The hostname in {@link #messages()} is always the local host's.</li>
 *   <li>Control characters: escaped on reception as '#' plus three octal digits
 *       (parser.escapeControlCharactersOnReceive="on", the default): tab becomes #011, an embedded LF
 *       #012, CR #015, ESC #033, NUL #000 (the message is not cut at NUL). One trailing LF is dropped
 *       (parser.dropTrailingLFOnReception="on"), but a CR before it stays as #015. DEL (0x7f) and bytes
 *       >= 0x80 pass unchanged, invalid UTF-8 included.</li>
 *   <li>Size: a datagram longer than 8096 bytes (PRI and header included) is cut to 8096 bytes,
 *       silently (global maxMessageSize defaults to 8k). Note that logger itself cuts messages to
 *       1024 bytes unless given --size.</li>
 *   <li>Messages over one socket are never dropped: RateLimit.Interval="0" turns rate limiting off,
 *       and a full socket buffer blocks the sender instead of losing datagrams.</li>
 * </ul>
 */
public final class Rsyslog implements AutoCloseable {

    /** Where Debian puts rsyslogd; override with -Drsyslogd=/path/to/rsyslogd. */
    public static final Path RSYSLOGD = Path.of(System.getProperty("rsyslogd", "/usr/sbin/rsyslogd"));

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final long POLL_MILLIS = 20;
    /** sun_path is 108 bytes on Linux, including the terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;

    private final Path dir;
    /** More inputs (network listeners, say), written after the socket's. */
    private final String extraInputs;
    private final Path conf;
    private final Path pidFile;
    private final Path socket;
    private final Path messages;
    private final Path detail;
    private final Path internalLog;
    private final Path output;
    private final Thread killOnExit;
    private volatile Process process;
    private boolean closed;

    private Rsyslog(Path dir, String extraInputs) {
        this.extraInputs = extraInputs;
        this.dir = dir.toAbsolutePath().normalize();
        this.conf = this.dir.resolve("rsyslog.conf");
        this.pidFile = this.dir.resolve("rsyslogd.pid");
        this.socket = this.dir.resolve("log.sock");
        this.messages = this.dir.resolve("messages");
        this.detail = this.dir.resolve("detail");
        this.internalLog = this.dir.resolve("rsyslogd.log");
        this.output = this.dir.resolve("rsyslogd.stderr");
        this.killOnExit = Thread.ofPlatform().unstarted(this::killNow);
    }

    /** True if rsyslogd is installed where {@link #RSYSLOGD} says. */
    public static boolean available() {
        return Files.isExecutable(RSYSLOGD);
    }

    /**
     * Writes {@code dir/rsyslog.conf}, starts rsyslogd in the foreground and returns once
     * {@code dir/log.sock} exists. Throws IllegalStateException (with rsyslogd's stderr) if rsyslogd
     * exits early or the socket does not appear within 10 s; the process is killed in that case.
     */
    public static Rsyslog start(Path dir) {
        return start(dir, "");
    }

    /** As {@link #start(Path)}, with more inputs in rsyslog's configuration language. */
    public static Rsyslog start(Path dir, String extraInputs) {
        Rsyslog r = new Rsyslog(dir, extraInputs);
        if (r.socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw new IllegalArgumentException("Unix socket path too long (max " + MAX_SOCKET_PATH + " bytes): " + r.socket);
        }
        try {
            Files.createDirectories(r.dir);
            Files.writeString(r.conf, r.config());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(r.killOnExit);
        try {
            r.launch();
        } catch (RuntimeException | Error e) {
            r.close();
            throw e;
        }
        return r;
    }

    /** The configuration written to {@code dir/rsyslog.conf}. */
    String config() {
        return """
            # Private rsyslogd for tests; started as: rsyslogd -n -f %1$s -i %2$s
            # Queue/state files go to the test directory, never /var/lib/rsyslog.
            # processInternalMessages="on": rsyslogd's own messages stay in this instance (by default
            # they would be sent to /dev/log).
            global(workDirectory="%3$s" processInternalMessages="on")

            # No "last message repeated n times" reduction (already off by default in v8; explicit).
            $RepeatedMsgReduction off

            # Only our own socket: no /dev/log (SysSock.Use="off"), no imklog, no rate limiting.
            # Control characters are left at the default: escaped as #ooo octal on reception
            # (tab -> #011, LF -> #012), trailing LF dropped.
            module(load="imuxsock" SysSock.Use="off")
            input(type="imuxsock" Socket="%4$s" RateLimit.Interval="0")
            %8$s

            template(name="Detail" type="string"
                     string="%%syslogfacility-text%%.%%syslogseverity-text%% %%syslogtag%%%%msg:::sp-if-no-1st-sp%%%%msg:::drop-last-lf%%\\n")

            # rsyslogd's own messages ("start", errors) go to their own file only.
            if $inputname == "rsyslogd" then {
                action(type="omfile" file="%5$s" template="RSYSLOG_FileFormat")
                stop
            }
            *.* action(type="omfile" file="%6$s" template="RSYSLOG_TraditionalFileFormat")
            *.* action(type="omfile" file="%7$s" template="Detail")
            """.formatted(conf, pidFile, q(dir), q(socket), q(internalLog), q(messages), q(detail), extraInputs);
    }

    private static String q(Path p) {
        return p.toString().replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private synchronized void launch() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        try {
            // A SIGKILLed rsyslogd leaves both behind: a stale socket would fool the wait below, a
            // stale pid file may make rsyslogd refuse to start.
            Files.deleteIfExists(socket);
            Files.deleteIfExists(pidFile);
            ProcessBuilder pb = new ProcessBuilder(RSYSLOGD.toString(), "-n", "-f", conf.toString(), "-i", pidFile.toString())
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
            Map<String, String> env = pb.environment();
            // Never let it talk to a systemd that may be supervising the test JVM.
            for (String k : List.of("NOTIFY_SOCKET", "LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES", "WATCHDOG_PID", "WATCHDOG_USEC")) {
                env.remove(k);
            }
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + RSYSLOGD, e);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(socket)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("rsyslogd exited with status " + process.exitValue()
                    + " before creating " + socket + diagnostics());
            }
            if (System.nanoTime() - deadline > 0) {
                stopProcess();
                throw new IllegalStateException("rsyslogd did not create " + socket + " within " + START_TIMEOUT + diagnostics());
            }
            sleep(10);
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("rsyslogd exited with status " + process.exitValue() + diagnostics());
        }
    }

    private String diagnostics() {
        return "\n--- rsyslogd stderr/stdout (" + output + "):\n" + read(output)
            + "\n--- " + internalLog + ":\n" + read(internalLog)
            + "\n--- " + conf + ":\n" + read(conf);
    }

    private static String read(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "(missing)";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** The Unix datagram socket to log to, e.g. {@code logger --socket <socket()>}. */
    public Path socket() {
        return socket;
    }

    /** Every message in RSYSLOG_TraditionalFileFormat. */
    public Path messages() {
        return messages;
    }

    /** Every message as {@code facility.severity TAG: MSG}. */
    public Path detail() {
        return detail;
    }

    /** rsyslogd's own messages (start, errors); not part of messages()/detail(). */
    public Path internalLog() {
        return internalLog;
    }

    public Path dir() {
        return dir;
    }

    /** Complete lines of {@link #messages()} so far; empty if the file does not exist yet. */
    public List<String> lines() {
        return readLines(messages);
    }

    /** Complete lines of {@link #detail()} so far; empty if the file does not exist yet. */
    public List<String> detailLines() {
        return readLines(detail);
    }

    /**
     * Lines of a file that rsyslog may be writing right now: only lines ended by '\n' count (omfile
     * flushes its buffer in 4 KiB pieces under load, so the last line may be half written). Bytes that
     * are not UTF-8 (rsyslog passes them through) become U+FFFD.
     */
    private static List<String> readLines(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end == 0) {
            return List.of();
        }
        return List.copyOf(new String(bytes, 0, end, StandardCharsets.UTF_8).lines().toList());
    }

    /** Polls {@link #messages()} every 20 ms until {@code done} holds; returns those lines, else throws AssertionError. */
    public List<String> awaitLines(Predicate<List<String>> done, Duration timeout) {
        return await(messages, done, timeout);
    }

    /** Polls {@link #detail()} every 20 ms until {@code done} holds; returns those lines, else throws AssertionError. */
    public List<String> awaitDetailLines(Predicate<List<String>> done, Duration timeout) {
        return await(detail, done, timeout);
    }

    private List<String> await(Path file, Predicate<List<String>> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> lines = readLines(file);
            if (done.test(lines)) {
                return lines;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("condition not met within " + timeout + " on " + file + " ("
                    + lines.size() + " lines, rsyslogd " + (isAlive() ? "running" : "not running") + "):\n"
                    + excerpt(lines) + "\n--- " + internalLog + ":\n" + read(internalLog)
                    + "\n--- " + output + ":\n" + read(output));
            }
            sleep(POLL_MILLIS);
        }
    }

    private static String excerpt(List<String> lines) {
        int max = 200;
        if (lines.size() <= max) {
            return String.join("\n", lines);
        }
        List<String> out = new ArrayList<>(lines.subList(0, max / 2));
        out.add("... (" + (lines.size() - max) + " lines left out) ...");
        out.addAll(lines.subList(lines.size() - max / 2, lines.size()));
        return String.join("\n", out);
    }

    /**
     * SIGTERM, wait for rsyslogd to exit (it flushes what it has queued), then start it again with
     * the same config, socket and files (which it appends to). Returns once the socket is back.
     */
    public synchronized void restart() {
        stopProcess();
        launch();
    }

    /** PID of the current rsyslogd. */
    public synchronized long pid() {
        return process.pid();
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM, up to 5 s to exit, then SIGKILL. Safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stopProcess();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or will run; it only kills
            }
        }
    }

    /** SIGTERM by PID, wait up to 5 s, then SIGKILL; always waits for the process to be gone. */
    private synchronized void stopProcess() {
        Process p = process;
        if (p == null) {
            return;
        }
        ProcessHandle h = p.toHandle();
        List<ProcessHandle> children = h.descendants().toList();
        try {
            if (h.isAlive()) {
                h.destroy(); // SIGTERM
                if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    h.destroyForcibly(); // SIGKILL
                    p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            h.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** Shutdown hook: the JVM is going away, so no polite waiting. */
    private void killNow() {
        Process p = process;
        if (p != null) {
            p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return "Rsyslog[dir=" + dir + ", pid=" + (process == null ? "-" : process.pid()) + "]";
    }
}
