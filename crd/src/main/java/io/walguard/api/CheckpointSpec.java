package io.walguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** How and when walguard checkpoints the WAL from a pod next to the openers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckpointSpec {

  @Default("true")
  @JsonPropertyDescription("Run the checkpoint CronJob.")
  private Boolean enabled = Boolean.TRUE;

  @Default("\"*/15 * * * *\"")
  // Five cron fields, or a @-macro; the API server's CronJob validation does the full parse.
  @Pattern("^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\\S+\\s+){4}\\S+)$")
  @JsonPropertyDescription("Cron schedule of the checkpoint CronJob, in the CronJob syntax.")
  private String schedule = "*/15 * * * *";

  @Default("PASSIVE")
  @JsonPropertyDescription("wal_checkpoint mode: PASSIVE, FULL, RESTART or TRUNCATE.")
  private Mode mode = Mode.PASSIVE;

  @Default("64Mi")
  @ValidationRule(value = "quantity(string(self)).isGreaterThan(quantity('0'))",
      message = "walSizeLimit must be a positive quantity, e.g. 64Mi")
  @JsonPropertyDescription("Above this WAL size, with checkpoints that do not shrink it, the Checkpoint condition reports WalGrowing.")
  private Quantity walSizeLimit = new Quantity("64Mi");

  public Boolean getEnabled() { return enabled; }
  public void setEnabled(Boolean enabled) { this.enabled = enabled; }
  public String getSchedule() { return schedule; }
  public void setSchedule(String schedule) { this.schedule = schedule; }
  public Mode getMode() { return mode; }
  public void setMode(Mode mode) { this.mode = mode; }
  public Quantity getWalSizeLimit() { return walSizeLimit; }
  public void setWalSizeLimit(Quantity walSizeLimit) { this.walSizeLimit = walSizeLimit; }

  public boolean isEnabled() { return enabled == null || enabled; }

  public enum Mode { PASSIVE, FULL, RESTART, TRUNCATE }
}
