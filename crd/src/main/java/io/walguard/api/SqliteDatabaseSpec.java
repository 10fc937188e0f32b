package io.walguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LabelSelector;

/** What the user declares: which file on which claim, and how walguard may act on it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SqliteDatabaseSpec {

  @Required
  @Size(min = 1, max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("The PersistentVolumeClaim, in the same namespace, that holds the database file.")
  private String claimName;

  @Required
  @Size(min = 1, max = 4096)
  @ValidationRule(value = "!self.startsWith('/')", message = "file must be a path relative to the volume root, e.g. grafana.db")
  @ValidationRule(value = "!self.split('/').exists(p, p == '..')", message = "file must not contain '..' path segments")
  @JsonPropertyDescription("Path of the database file inside the volume: relative, without '..' (e.g. grafana.db or data/app.db).")
  private String file;

  @JsonPropertyDescription("The pods that open the database. Default: every pod that mounts the claim.")
  private LabelSelector workloadSelector;

  @Default("auto")
  @JsonPropertyDescription("Override the storage classifier: auto (classify), local, network or fuse.")
  private StorageOverride storage = StorageOverride.auto;

  @Default("auto")
  @JsonPropertyDescription("What walguard may do when the database is unsafe: auto (pin when every opener can be pinned, "
      + "else journal), pin, journal or none (only report).")
  private Remedy remedy = Remedy.auto;

  @Default("DELETE")
  @JsonPropertyDescription("The rollback journal mode used by the journal remedy.")
  private JournalMode journalMode = JournalMode.DELETE;

  @Pattern("^[a-z0-9][-a-z0-9]*$")
  @JsonPropertyDescription("App profile (e.g. grafana, vaultwarden, gitea): how to tell the application itself to stop using WAL.")
  private String app;

  @Size(max = 253)
  @JsonPropertyDescription("The node to pin every opener to. Default: the node of the opener that has run longest.")
  private String node;

  @JsonPropertyDescription("The checkpoint CronJob that runs next to the openers.")
  private CheckpointSpec checkpoint;

  public String getClaimName() { return claimName; }
  public void setClaimName(String claimName) { this.claimName = claimName; }
  public String getFile() { return file; }
  public void setFile(String file) { this.file = file; }
  public LabelSelector getWorkloadSelector() { return workloadSelector; }
  public void setWorkloadSelector(LabelSelector workloadSelector) { this.workloadSelector = workloadSelector; }
  public StorageOverride getStorage() { return storage; }
  public void setStorage(StorageOverride storage) { this.storage = storage; }
  public Remedy getRemedy() { return remedy; }
  public void setRemedy(Remedy remedy) { this.remedy = remedy; }
  public JournalMode getJournalMode() { return journalMode; }
  public void setJournalMode(JournalMode journalMode) { this.journalMode = journalMode; }
  public String getApp() { return app; }
  public void setApp(String app) { this.app = app; }
  public String getNode() { return node; }
  public void setNode(String node) { this.node = node; }
  public CheckpointSpec getCheckpoint() { return checkpoint; }
  public void setCheckpoint(CheckpointSpec checkpoint) { this.checkpoint = checkpoint; }

  /** The checkpoint settings, with defaults when the user gave none. */
  public CheckpointSpec checkpointOrDefault() {
    return checkpoint != null ? checkpoint : new CheckpointSpec();
  }

  public enum StorageOverride { auto, local, network, fuse }

  public enum Remedy { auto, pin, journal, none }

  public enum JournalMode { DELETE, TRUNCATE, PERSIST }
}
