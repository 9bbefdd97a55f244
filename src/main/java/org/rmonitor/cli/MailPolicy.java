package org.rmonitor.cli;

/** {@code --mail}: which ends of a job are mailed. Cron mails whatever a job says; rmonitor, a failure. */
public enum MailPolicy {
  ON_FAILURE,
  ALWAYS,
  NEVER;

  /** Whether a job that ended with {@code status} is mailed. */
  public boolean mails(int status) {
    return switch (this) {
      case ON_FAILURE -> status != 0;
      case ALWAYS -> true;
      case NEVER -> false;
    };
  }
}
