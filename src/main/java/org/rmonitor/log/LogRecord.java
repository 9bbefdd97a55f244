package org.rmonitor.log;

import java.time.Instant;

/** One line to log: when it was seen, how bad it is, under which syslog tag, and its text. */
public record LogRecord(Instant time, Severity severity, String ident, String message) {}
