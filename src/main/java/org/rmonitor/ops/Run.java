package org.rmonitor.ops;

import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of one job on one host, as its lines tell it. Its times and status come from every
 * line; of the lines themselves it keeps only the first and the last few and counts the rest, so
 * a job that prints a million lines costs what one that prints a hundred does.
 */
final class Run {
  /** How many lines of a run are kept: the first {@code head} and the last {@code tail}, each part at most {@code chars} characters. */
  record Window(int head, int tail, int chars) {
    static final Window DEFAULT = new Window(50, 50, 16 * 1024);
  }

  final JobLine.RunKey key;
  private final Window window;
  private final long opened;
  private final List<String> head = new ArrayList<>();
  private final ArrayDeque<String> tail = new ArrayDeque<>();
  private long headChars;
  private long tailChars;
  private long leftOut;
  private String firstStamp;
  private String launched;
  private LocalDateTime begins;
  private LocalDateTime processing;
  private LocalDateTime processed;
  private String status;
  private String unfinished = "no JOB Status: still running, or its monitor died";

  Run(JobLine.RunKey key, Window window, long opened) {
    this.key = key;
    this.window = window;
    this.opened = opened;
  }

  /** Its place among the runs of the input, in the order they were opened. */
  long opened() {
    return opened;
  }

  void add(JobLine l) {
    String raw = l.line().raw();
    if (firstStamp == null) firstStamp = l.line().stamp();
    switch (l.event()) {
      case LAUNCHED -> launched = l.line().stamp();
      case JOB_BEGINS -> begins = l.line().time();
      case PROCESSING_BEGINS -> processing = l.line().time();
      case PROCESSING_STATUS -> processed = l.line().time();
      case JOB_STATUS -> status = l.message().substring("JOB Status ".length());
      case EXIT, NONE -> {}
    }
    if (tail.isEmpty() && head.size() < window.head() && headChars + raw.length() <= window.chars()) {
      head.add(raw);
      headChars += raw.length();
      return;
    }
    tail.addLast(raw);
    tailChars += raw.length();
    while (tail.size() > window.tail() || (tailChars > window.chars() && tail.size() > 1)) {
      tailChars -= tail.removeFirst().length();
      leftOut++;
    }
  }

  /** Why the run has no JOB Status, when the input ends or the run is closed early. */
  void unfinished(String why) {
    unfinished = why;
  }

  boolean finished() {
    return status != null;
  }

  String job() {
    return key.job();
  }

  /** When it was launched, or when its first line in the input was logged. */
  String launchedLine() {
    return launched != null ? launched : firstStamp + " (launch not in these logs)";
  }

  String launchedStamp() {
    return launched;
  }

  List<String> head() {
    return head;
  }

  long leftOut() {
    return leftOut;
  }

  Iterable<String> tail() {
    return tail;
  }

  /** "waited 13m54s for PREP, ran 17s, JOB Status 0", or the reason there is no status. */
  String summary() {
    List<String> parts = new ArrayList<>();
    if (begins != null && processing != null) {
      parts.add("waited " + ReportPrinter.human(java.time.Duration.between(begins, processing)) + " for PREP");
    }
    if (processing != null && processed != null) {
      parts.add("ran " + ReportPrinter.human(java.time.Duration.between(processing, processed)));
    }
    parts.add(status != null ? "JOB Status " + status : unfinished);
    return String.join(", ", parts);
  }
}
