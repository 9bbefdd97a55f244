package org.rmonitor.proc;

import java.util.List;

/** Waits that an interrupt cannot cut short: what they wait for must have ended before going on. */
final class Uninterruptibly {
  private Uninterruptibly() {}

  /** Waits until every thread has ended; an interrupt meanwhile is kept for the caller. */
  static void join(List<Thread> threads) {
    boolean interrupted = false;
    for (Thread thread : threads) {
      while (true) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }
}
