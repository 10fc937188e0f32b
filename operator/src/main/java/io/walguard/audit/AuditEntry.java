package io.walguard.audit;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.walguard.core.Verdict;
import io.walguard.placement.RunningPod;
import java.util.List;

/** One database in {@code walguard audit -o json}: the contract of DESIGN.md section 9, field for field. */
@JsonPropertyOrder({"namespace", "name", "claim", "storage", "storageEvidence", "openers", "nodes", "verdict",
    "action", "reasons"})
public record AuditEntry(
    String namespace,
    String name,
    String claim,
    String storage,
    String storageEvidence,
    List<String> openers,
    List<String> nodes,
    String verdict,
    String action,
    List<String> reasons) {

  public static AuditEntry of(String namespace, String name, String claim, Verdict verdict) {
    return new AuditEntry(namespace, name, claim,
        verdict.storage().kind().name(),
        verdict.storage().evidence(),
        verdict.placement().openerRefs(),
        verdict.placement().running().stream().map(RunningPod::node).distinct().sorted().toList(),
        verdict.safety().name(),
        verdict.action().name(),
        List.copyOf(verdict.reasons()));
  }
}
