package io.walguard.audit.fuzz;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * The main class of the child JVM that {@link BoundedMemoryTest} starts with a small heap: audits each file named on
 * the command line in turn, in-process, and prints one line per file (exit status, the first line of stderr), then
 * the peak heap it used.
 */
public final class ChildAudits {

  private ChildAudits() {}

  public static void main(String[] files) {
    for (String file : files) {
      AuditRun run = AuditRun.json(file);
      String firstLine = run.err().lines().findFirst().orElse("");
      System.out.println(run.status() + "\t" + firstLine.replace('\t', ' '));
    }
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.println("peak heap " + peak);
  }
}
