package org.rmonitor.cli;

import org.rmonitor.UserError;

/** A command line rmonitor cannot read: exit 64, EX_USAGE. */
public final class UsageException extends UserError {
  public static final int EX_USAGE = 64;

  public UsageException(String message) {
    super(EX_USAGE, message);
  }
}
