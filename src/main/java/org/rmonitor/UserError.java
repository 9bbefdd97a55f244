package org.rmonitor;

/**
 * A mistake the administrator can fix: bad input, a missing file, an unsafe path. It is reported
 * as one line on stderr with a sysexits(3) code, never as a stack trace.
 */
public class UserError extends Exception {
  /** EX_DATAERR: an input file is not what it should be (a corrupt .gz, an unknown format). */
  public static final int DATA_ERR = 65;
  /** EX_NOINPUT: the script or the interpreter cannot be read or run. */
  public static final int NO_INPUT = 66;
  /** EX_IOERR: reading an input failed. */
  public static final int IO_ERR = 74;
  /** EX_CONFIG: a configured directory, file or exit program is missing or unsafe. */
  public static final int CONFIG = 78;

  public final int exitCode;

  public UserError(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }
}
