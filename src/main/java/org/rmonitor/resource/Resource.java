package org.rmonitor.resource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rmonitor.UserError;

/**
 * One named resource shared by jobs: the first job to want it runs its PREP exit, the last to
 * let go of it runs its POST exit. The lock is held while an exit runs, so every other job wanting
 * the resource waits until it is really prepared or cleaned up.
 */
public final class Resource {
  /** Runs the resource's exit program for one phase and returns its status. */
  public interface Exit {
    int run() throws InterruptedException;
  }

  /** Where WARNING lines go. */
  public interface Warnings {
    void warn(String message);
  }

  private final String name;
  private final Path lockDir;
  private final Holder self;
  private final Warnings warnings;

  public Resource(String name, Path lockDir, Holder self, Warnings warnings) {
    this.name = name;
    this.lockDir = lockDir;
    this.self = self;
    this.warnings = warnings;
  }

  public String name() {
    return name;
  }

  /**
   * Joins the holders, running PREP first if the resource is not prepared. Returns PREP's status
   * (0 when it did not need to run); on failure this job does not hold the resource.
   */
  public int acquire(Exit prep) throws UserError, IOException, InterruptedException {
    try (LockFile lock = LockFile.acquire(lockDir, name)) {
      HolderFile state = lock.read();
      List<Holder> live = liveHolders(state, lock);
      if (!state.prepared()) {
        int status = prep.run();
        if (status != 0) {
          lock.write(new HolderFile(false, live), name);
          return status;
        }
      }
      // A resource left prepared by jobs that died is adopted, not prepared twice.
      live.add(self);
      lock.write(new HolderFile(true, live), name);
      return 0;
    }
  }

  /**
   * Leaves the holders; the last live holder runs POST and marks the resource not prepared.
   * Returns POST's status, or 0 when others still hold it.
   */
  public int release(Exit post) throws UserError, IOException, InterruptedException {
    try (LockFile lock = LockFile.acquire(lockDir, name)) {
      HolderFile state = lock.read();
      List<Holder> live = liveHolders(state, lock);
      live.removeIf(h -> h.pid() == self.pid() && h.startTicks() == self.startTicks());
      if (!live.isEmpty() || !state.prepared()) {
        lock.write(new HolderFile(state.prepared(), live), name);
        return 0;
      }
      int status = post.run();
      lock.write(HolderFile.EMPTY, name);
      return status;
    }
  }

  /** The holders still running; a dead one is named in a WARNING and dropped, as if it released. */
  private List<Holder> liveHolders(HolderFile state, LockFile lock) {
    List<Holder> live = new ArrayList<>();
    for (Holder h : state.holders()) {
      boolean isSelf = h.pid() == self.pid() && h.startTicks() == self.startTicks();
      if (isSelf || h.alive()) {
        live.add(h);
      } else {
        warnings.warn(
            "WARNING " + name + ": holder " + h + " since " + h.since()
                + " is gone without releasing; dropped from " + lock.path());
      }
    }
    return live;
  }
}
