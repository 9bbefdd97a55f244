package org.rmonitor.resource;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * The rule of a limit, and the LIMIT lines it logs: who may hold the resource now, where a job
 * stands in line, first come first served. Pure: {@link Resource} applies it under the lock.
 */
final class Turns {
  private Turns() {}

  /**
   * Where a job stands in line: its index if it is in line, else the place it takes, after
   * every waiter that asked no later than it did. Polling a lock is no queue: a job that asked
   * earlier may get the lock later, and still goes first.
   */
  static int place(List<Holder> waiters, Holder asking) {
    for (int i = 0; i < waiters.size(); i++) {
      if (waiters.get(i).is(asking)) return i;
    }
    int place = 0;
    while (place < waiters.size() && !waiters.get(place).since().isAfter(asking.since())) place++;
    return place;
  }

  /** The job's turn: the jobs holding the resource and the waiters ahead leave room for it. */
  static boolean mine(OptionalInt limit, long holding, int place) {
    return limit.isEmpty() || holding + place < limit.getAsInt();
  }

  static String waiting(String resource, long holding, int place, int limit) {
    return "LIMIT " + resource + ": waiting, " + holding + " job(s) running, " + place
        + " waiting ahead (limit " + limit + ")";
  }

  static String turn(String resource, Duration waited) {
    return "LIMIT " + resource + ": turn after " + human(waited);
  }

  /** 12s, 13m54s, 2h05m: as an administrator reads a wait (and as the report writes one). */
  static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 60) return s + "s";
    if (s < 3600) return (s / 60) + "m" + String.format("%02d", s % 60) + "s";
    return (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
  }
}
