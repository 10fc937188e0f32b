package io.walguard.audit;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code -o table}, for people: one aligned row per database (NAMESPACE NAME CLAIM STORAGE VERDICT ACTION OPENERS),
 * the reasons beneath it, a blank line between databases, and a count at the end. Plain text: nothing depends on
 * colour.
 */
public final class TableReport {

  private static final List<String> HEADER =
      List.of("NAMESPACE", "NAME", "CLAIM", "STORAGE", "VERDICT", "ACTION", "OPENERS");
  private static final String GAP = "   ";
  private static final String REASON_INDENT = "    - ";

  private TableReport() {}

  private static final String KUBERNETES = "walguard audits each SqliteDatabase, and each claim annotated"
      + " walguard.io/sqlite: \"true\" (on the PVC, or on a workload or Pod that mounts it).";
  private static final String COMPOSE = "In Compose files walguard audits each volume labelled walguard.io/sqlite:"
      + " \"true\", each mount a service's label walguard.io/sqlite names (walguard.io/sqlite: db, or ./data for a"
      + " bind mount, under labels or deploy.labels), and each volume listed under x-walguard: {databases: [{volume:"
      + " db}]}.";

  /** The report of what was read from Kubernetes manifests or a cluster. */
  public static String render(List<AuditEntry> entries) {
    return render(entries, true, false);
  }

  /**
   * The report; when it finds no database, it says what walguard looks for in what was read: Kubernetes objects,
   * Compose files, or both.
   */
  public static String render(List<AuditEntry> entries, boolean kubernetes, boolean compose) {
    if (entries.isEmpty()) {
      List<String> what = new ArrayList<>();
      if (kubernetes || !compose) {
        what.add(KUBERNETES);
      }
      if (compose) {
        what.add(COMPOSE);
      }
      return "No SQLite databases found. " + String.join(" ", what) + "\n";
    }
    List<List<String>> rows = new ArrayList<>();
    for (AuditEntry entry : entries) {
      rows.add(List.of(text(entry.namespace()), text(entry.name()), text(entry.claim()), text(entry.storage()),
          text(entry.verdict()), text(entry.action()),
          entry.openers() == null || entry.openers().isEmpty() ? "-" : String.join(", ", entry.openers())));
    }
    int[] widths = new int[HEADER.size()];
    for (int column = 0; column < widths.length; column++) {
      widths[column] = HEADER.get(column).length();
      for (List<String> row : rows) {
        widths[column] = Math.max(widths[column], row.get(column).length());
      }
    }
    StringBuilder out = new StringBuilder();
    line(out, HEADER, widths);
    for (int i = 0; i < entries.size(); i++) {
      if (i > 0) {
        out.append('\n');
      }
      line(out, rows.get(i), widths);
      for (String reason : entries.get(i).reasons() == null ? List.<String>of() : entries.get(i).reasons()) {
        out.append(REASON_INDENT).append(reason).append('\n');
      }
    }
    out.append('\n').append(summary(entries)).append('\n');
    return out.toString();
  }

  public static void write(List<AuditEntry> entries, PrintWriter out) {
    out.print(render(entries));
    out.flush();
  }

  private static void line(StringBuilder out, List<String> cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int column = 0; column < cells.size(); column++) {
      String cell = cells.get(column);
      line.append(cell);
      if (column < cells.size() - 1) {
        line.append(" ".repeat(widths[column] - cell.length())).append(GAP);
      }
    }
    out.append(line.toString().stripTrailing()).append('\n');
  }

  /** {@code 3 databases: 1 unsafe, 1 unknown, 1 safe}. */
  static String summary(List<AuditEntry> entries) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String verdict : List.of("unsafe", "unknown", "safe")) {
      counts.put(verdict, 0);
    }
    entries.forEach(entry -> counts.merge(text(entry.verdict()), 1, Integer::sum));
    List<String> parts = new ArrayList<>();
    counts.forEach((verdict, count) -> {
      if (count > 0) {
        parts.add(count + " " + verdict);
      }
    });
    return entries.size() + (entries.size() == 1 ? " database: " : " databases: ") + String.join(", ", parts);
  }

  private static String text(String value) {
    return value == null || value.isEmpty() ? "-" : value;
  }
}
