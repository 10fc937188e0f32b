package io.walguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Written only by the operator: what walguard observed, decided and did. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SqliteDatabaseStatus {

  private Long observedGeneration;
  private StorageStatus storage;
  @JsonPropertyDescription("Nodes where openers of the database run now.")
  private List<String> nodes = new ArrayList<>();
  @JsonPropertyDescription("Journal mode read from the database file header: wal, delete (rollback), or unknown.")
  private String journalMode;
  @JsonPropertyDescription("safe, unsafe or unknown.")
  private String verdict;
  @JsonPropertyDescription("none, pin, journal or observe.")
  private String action;
  @JsonPropertyDescription("The node walguard pins the openers to, when the action is pin.")
  private String pinnedNode;
  @JsonPropertyDescription("Why the verdict is what it is, in words a person can act on.")
  private List<String> reasons = new ArrayList<>();
  private CheckpointResult lastCheckpoint;
  @JsonPropertyDescription("The filesystem walguard's probe pod found under the claim, when one ran.")
  private ProbeResult probe;
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public StorageStatus getStorage() { return storage; }
  public void setStorage(StorageStatus storage) { this.storage = storage; }
  public List<String> getNodes() { return nodes; }
  public void setNodes(List<String> nodes) { this.nodes = nodes; }
  public String getJournalMode() { return journalMode; }
  public void setJournalMode(String journalMode) { this.journalMode = journalMode; }
  public String getVerdict() { return verdict; }
  public void setVerdict(String verdict) { this.verdict = verdict; }
  public String getAction() { return action; }
  public void setAction(String action) { this.action = action; }
  public String getPinnedNode() { return pinnedNode; }
  public void setPinnedNode(String pinnedNode) { this.pinnedNode = pinnedNode; }
  public List<String> getReasons() { return reasons; }
  public void setReasons(List<String> reasons) { this.reasons = reasons; }
  public CheckpointResult getLastCheckpoint() { return lastCheckpoint; }
  public void setLastCheckpoint(CheckpointResult lastCheckpoint) { this.lastCheckpoint = lastCheckpoint; }
  public ProbeResult getProbe() { return probe; }
  public void setProbe(ProbeResult probe) { this.probe = probe; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }

  @Override
  public boolean equals(Object o) {
    if (this == o) return true;
    if (!(o instanceof SqliteDatabaseStatus)) return false;
    SqliteDatabaseStatus that = (SqliteDatabaseStatus) o;
    return Objects.equals(observedGeneration, that.observedGeneration) && Objects.equals(storage, that.storage)
        && Objects.equals(nodes, that.nodes) && Objects.equals(journalMode, that.journalMode)
        && Objects.equals(verdict, that.verdict) && Objects.equals(action, that.action)
        && Objects.equals(pinnedNode, that.pinnedNode) && Objects.equals(reasons, that.reasons)
        && Objects.equals(lastCheckpoint, that.lastCheckpoint) && Objects.equals(probe, that.probe)
        && Objects.equals(conditions, that.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, storage, nodes, journalMode, verdict, action, pinnedNode, reasons,
        lastCheckpoint, probe, conditions);
  }

  /** The storage kind walguard settled on, and the evidence that decided it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class StorageStatus {
    @JsonPropertyDescription("local, network, fuse or unknown.")
    private String kind;
    @JsonPropertyDescription("Which object and field decided the kind.")
    private String evidence;

    public StorageStatus() {}
    public StorageStatus(String kind, String evidence) { this.kind = kind; this.evidence = evidence; }
    public String getKind() { return kind; }
    public void setKind(String kind) { this.kind = kind; }
    public String getEvidence() { return evidence; }
    public void setEvidence(String evidence) { this.evidence = evidence; }

    @Override
    public boolean equals(Object o) {
      return o instanceof StorageStatus s && Objects.equals(kind, s.kind) && Objects.equals(evidence, s.evidence);
    }

    @Override
    public int hashCode() { return Objects.hash(kind, evidence); }
  }
}
