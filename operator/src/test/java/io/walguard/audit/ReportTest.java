package io.walguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.walguard.core.Action;
import io.walguard.core.Safety;
import io.walguard.core.Verdict;
import io.walguard.placement.Opener;
import io.walguard.placement.Placement;
import io.walguard.placement.RunningPod;
import io.walguard.storage.StorageClassification;
import io.walguard.storage.StorageKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReportTest {

  static final AuditEntry GRAFANA = AuditEntry.of("monitoring", "grafana", "grafana-data", new Verdict(
      Safety.unsafe, Action.pin,
      StorageClassification.of(StorageKind.network, "StorageClass efs-sc: provisioner efs.csi.aws.com"),
      new Placement(List.of(new Opener("Deployment", "grafana", null, true, null, false, true, List.of())), true,
          List.of(), List.of(
          new RunningPod("grafana-1", "node-b", null, "Deployment/grafana"),
          new RunningPod("grafana-0", "node-a", null, "Deployment/grafana")),
          List.of("node-a", "node-b"), Optional.empty(), true, false, false),
      List.of("Deployment/grafana: RollingUpdate with maxSurge 1 can run two pods on two nodes during a rollout",
          "remedy auto: walguard will pin every opener to one node with a required node affinity")));

  static final AuditEntry VAULT = new AuditEntry("apps", "vaultwarden-data", "vaultwarden-data", "local",
      "StorageClass local-path: provisioner rancher.io/local-path", List.of("Deployment/vaultwarden"), List.of(),
      "safe", "none", List.of("storage local: one kernel at a time"));

  static final AuditEntry ORPHAN = new AuditEntry("apps", "orphan", "missing-claim", "unknown",
      "claim missing-claim is not in the input", List.of(), List.of(), "unknown", "observe",
      List.of("claim missing-claim is not in the input"));

  @Test
  void jsonIsOneDocumentWithTheContractsFieldsInOrder() throws Exception {
    String json = JsonReport.render(List.of(GRAFANA, VAULT));

    JsonNode root = new ObjectMapper().readTree(json);
    assertThat(root.isObject()).isTrue();
    assertThat(names(root.fieldNames())).containsExactly("databases");
    JsonNode grafana = root.get("databases").get(0);
    assertThat(names(grafana.fieldNames())).containsExactly("namespace", "name", "claim", "storage",
        "storageEvidence", "openers", "nodes", "verdict", "action", "reasons");
    assertThat(grafana.get("storage").asText()).isEqualTo("network");
    assertThat(grafana.get("storageEvidence").asText()).isEqualTo("StorageClass efs-sc: provisioner efs.csi.aws.com");
    assertThat(grafana.get("nodes")).extracting(JsonNode::asText).containsExactly("node-a", "node-b");
    assertThat(grafana.get("verdict").asText()).isEqualTo("unsafe");
    assertThat(grafana.get("action").asText()).isEqualTo("pin");
    assertThat(grafana.get("reasons")).hasSize(2);
    assertThat(root.get("databases").get(1).get("openers").get(0).asText()).isEqualTo("Deployment/vaultwarden");
    assertThat(json).startsWith("{\n  \"databases\": [\n    {\n      \"namespace\": \"monitoring\",")
        .contains("\"nodes\": [],");
  }

  @Test
  void jsonOfNothingIsAnEmptyList() throws Exception {
    JsonNode root = new ObjectMapper().readTree(JsonReport.render(List.of()));

    assertThat(root.get("databases").isArray()).isTrue();
    assertThat(root.get("databases")).isEmpty();
  }

  @Test
  void entriesAreOrderedByNamespaceThenName() {
    List<AuditEntry> entries = new ArrayList<>(List.of(GRAFANA, VAULT, ORPHAN));

    entries.sort(Audit.ORDER);

    assertThat(entries).containsExactly(ORPHAN, VAULT, GRAFANA);
  }

  @Test
  void tableRowsAreAlignedUnderTheHeaderWithReasonsBeneathEachRow() {
    List<AuditEntry> entries = new ArrayList<>(List.of(GRAFANA, VAULT, ORPHAN));
    entries.sort(Audit.ORDER);

    List<String> lines = TableReport.render(entries).lines().toList();

    String header = lines.get(0);
    assertThat(header.split("\\s+")).containsExactly("NAMESPACE", "NAME", "CLAIM", "STORAGE", "VERDICT", "ACTION",
        "OPENERS");
    List<String> rows = lines.stream().filter(l -> !l.startsWith(" ") && !l.isEmpty()).toList();
    assertThat(rows).hasSize(5);
    var columns = java.util.regex.Pattern.compile("\\S+").matcher(header);
    columns.find();
    while (columns.find()) {
      int start = columns.start();
      for (String row : rows.subList(1, 4)) {
        assertThat(row.charAt(start - 1)).as("%s starts at %d in %s", columns.group(), start, row).isEqualTo(' ');
        assertThat(row.charAt(start)).as("%s starts at %d in %s", columns.group(), start, row).isNotEqualTo(' ');
      }
    }
    assertThat(rows.get(1).split("\\s+")).containsExactly("apps", "orphan", "missing-claim", "unknown", "unknown",
        "observe", "-");
    assertThat(rows.get(3).split("\\s+")).containsExactly("monitoring", "grafana", "grafana-data", "network",
        "unsafe", "pin", "Deployment/grafana");
    assertThat(lines.get(lines.indexOf(rows.get(2)) - 1)).as("a blank line between databases").isEmpty();
    int grafanaRow = lines.indexOf(rows.get(3));
    assertThat(lines.get(grafanaRow + 1)).isEqualTo("    - Deployment/grafana: RollingUpdate with maxSurge 1 can"
        + " run two pods on two nodes during a rollout");
    assertThat(lines.get(grafanaRow + 2)).startsWith("    - remedy auto:");
    assertThat(rows.get(4)).isEqualTo("3 databases: 1 unsafe, 1 unknown, 1 safe");
    assertThat(lines).noneMatch(l -> l.contains("\u001b")).noneMatch(l -> l.endsWith(" "));
  }

  @Test
  void aTableOfNothingSaysSoAndHowDatabasesAreFound() {
    assertThat(TableReport.render(List.of())).contains("No SQLite databases found")
        .contains("walguard.io/sqlite: \"true\"").doesNotContain("Compose");
  }

  @Test
  void aTableOfNothingSaysHowDatabasesAreFoundInWhatWasRead() {
    String kubernetes = "each claim annotated walguard.io/sqlite";
    String compose = "In Compose files walguard audits each volume labelled walguard.io/sqlite: \"true\", each mount a"
        + " service's label walguard.io/sqlite names";
    assertThat(TableReport.render(List.of(), false, true)).contains(compose).contains("x-walguard")
        .doesNotContain(kubernetes);
    assertThat(TableReport.render(List.of(), true, true)).contains(kubernetes).contains(compose);
    assertThat(TableReport.render(List.of(), true, false)).contains(kubernetes).doesNotContain(compose);
  }

  @ParameterizedTest(name = "{0} strict={1} -> {2}")
  @CsvSource({
      "'safe', false, 0",
      "'safe', true, 0",
      "'safe unknown', false, 0",
      "'safe unknown', true, 1",
      "'safe unsafe', false, 1",
      "'unsafe unknown', true, 1",
      "'', false, 0",
      "'', true, 0"})
  void exitStatusCountsUnsafeAndWithStrictUnknown(String verdicts, boolean strict, int status) {
    List<AuditEntry> entries = Arrays.stream(verdicts.split(" ")).filter(v -> !v.isEmpty())
        .map(v -> new AuditEntry("ns", v, v, "local", "", List.of(), List.of(), v, "none", List.of()))
        .toList();

    assertThat(Audit.exitStatus(entries, strict)).isEqualTo(status);
  }

  private static List<String> names(Iterator<String> names) {
    List<String> out = new ArrayList<>();
    names.forEachRemaining(out::add);
    return out;
  }
}
