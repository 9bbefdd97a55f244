package org.rmonitor.ops;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The runs still open, keyed by host, job and PID, each handed on as soon as it is over. Only
 * open runs are held, so memory follows how many jobs run at once across the fleet, not the size
 * of the input; and at most {@code maxOpen} of them, because a collector's file of a year holds
 * every run whose monitor died without its JOB Status, and those never end.
 */
final class RunTracker {
  /** Where a run goes once it is over: printed. */
  interface Ended {
    void run(Run run) throws IOException;
  }

  static final int MAX_OPEN = 10_000;

  private final Run.Window window;
  private final int maxOpen;
  private final Ended ended;
  private long opened;
  // In order of each run's latest line: the first entry is the run silent the longest.
  private final LinkedHashMap<JobLine.RunKey, Run> open = new LinkedHashMap<>(64, 0.75f, true);

  RunTracker(Run.Window window, int maxOpen, Ended ended) {
    this.window = window;
    this.maxOpen = maxOpen;
    this.ended = ended;
  }

  void add(JobLine l) throws IOException {
    Run run = open.get(l.key());
    if (l.event() == JobLine.Event.LAUNCHED) {
      // The launch comes first in a run's lines: with an open run of that job and PID on that
      // host, the PID was reused, and the open run's monitor died without its JOB Status.
      if (run != null) {
        open.remove(l.key());
        run.unfinished("no JOB Status before the same job and PID were launched again: its monitor died");
        ended.run(run);
      }
      run = null;
    }
    if (run == null) {
      if (l.event() != JobLine.Event.LAUNCHED && !l.opensRun()) return;
      run = new Run(l.key(), window, opened++);
      open.put(l.key(), run);
    }
    run.add(l);
    if (run.finished()) {
      open.remove(l.key());
      ended.run(run);
    }
    if (open.size() > maxOpen) {
      Iterator<Run> silent = open.values().iterator();
      Run oldest = silent.next();
      silent.remove();
      oldest.unfinished("no JOB Status yet; shown early, the run silent longest of " + maxOpen + " open at once");
      ended.run(oldest);
    }
  }

  /** The end of the input: the runs still open, host by host, each host's in order of launch. */
  void finish() throws IOException {
    List<Run> left = new ArrayList<>(open.values());
    open.clear();
    // values() is in order of latest line; the runs' own order is the order they were opened.
    left.sort(Comparator.comparing((Run r) -> r.key.host()).thenComparingLong(Run::opened));
    for (Run run : left) ended.run(run);
  }

  int openRuns() {
    return open.size();
  }
}
