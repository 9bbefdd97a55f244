package org.rmonitor.proc;

import org.rmonitor.log.Severity;

/** Where a child's output lines go: stdout at info, stderr at err. */
public interface Lines {
  void line(Severity severity, String text);
}
