package org.rmonitor.log;

/** The syslog severities rmonitor uses, with their numeric codes from RFC 5424. */
public enum Severity {
  ERR(3),
  WARNING(4),
  INFO(6);

  public final int code;

  Severity(int code) {
    this.code = code;
  }

  /** A process status is good news only when it is zero. */
  public static Severity ofStatus(int status) {
    return status == 0 ? INFO : ERR;
  }
}
