package org.rmonitor.resource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.rmonitor.proc.ProcStat;

/** Liveness as this host's /proc tells it. */
public final class ProcLiveness implements Liveness {
  private final String host = read("/proc/sys/kernel/hostname", "localhost");
  private final String boot = read("/proc/sys/kernel/random/boot_id", "unknown");

  private static String read(String file, String otherwise) {
    try {
      String s = Files.readString(Path.of(file)).strip();
      return s.isEmpty() || !s.matches("\\S+") ? otherwise : s;
    } catch (IOException e) {
      return otherwise;
    }
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public String boot() {
    return boot;
  }

  @Override
  public boolean monitorRuns(Holder h) {
    return ProcStat.running(h.pid(), h.startTicks());
  }

  @Override
  public List<String> processes(Holder h) {
    return ProcStat.session(h.pid(), h.startTicks()).stream().map(ProcStat::describe).toList();
  }

  @Override
  public boolean runs(long pid, long startTicks) {
    return ProcStat.running(pid, startTicks);
  }
}
