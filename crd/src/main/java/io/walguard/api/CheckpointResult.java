package io.walguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** What the last finished checkpoint pod reported through its termination message. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckpointResult {
  @JsonPropertyDescription("When the checkpoint finished (RFC 3339).")
  private String time;
  @JsonPropertyDescription("What the checkpoint pod reported: ok, busy, incomplete (a reader kept it from copying every"
      + " frame), not-wal (the database uses a rollback journal) or error.")
  private String outcome;
  @JsonPropertyDescription("1 when the checkpoint could not complete because another connection held the database.")
  private Integer busy;
  private Long logFrames;
  private Long checkpointedFrames;
  private Long walBytesBefore;
  private Long walBytesAfter;
  @JsonPropertyDescription("The pod that ran the checkpoint.")
  private String pod;
  @JsonPropertyDescription("An error the checkpoint pod reported, if any.")
  private String error;

  public String getTime() { return time; }
  public void setTime(String time) { this.time = time; }
  public String getOutcome() { return outcome; }
  public void setOutcome(String outcome) { this.outcome = outcome; }
  public Integer getBusy() { return busy; }
  public void setBusy(Integer busy) { this.busy = busy; }
  public Long getLogFrames() { return logFrames; }
  public void setLogFrames(Long logFrames) { this.logFrames = logFrames; }
  public Long getCheckpointedFrames() { return checkpointedFrames; }
  public void setCheckpointedFrames(Long checkpointedFrames) { this.checkpointedFrames = checkpointedFrames; }
  public Long getWalBytesBefore() { return walBytesBefore; }
  public void setWalBytesBefore(Long walBytesBefore) { this.walBytesBefore = walBytesBefore; }
  public Long getWalBytesAfter() { return walBytesAfter; }
  public void setWalBytesAfter(Long walBytesAfter) { this.walBytesAfter = walBytesAfter; }
  public String getPod() { return pod; }
  public void setPod(String pod) { this.pod = pod; }
  public String getError() { return error; }
  public void setError(String error) { this.error = error; }

  @Override
  public boolean equals(Object o) {
    return o instanceof CheckpointResult c && Objects.equals(time, c.time) && Objects.equals(outcome, c.outcome)
        && Objects.equals(busy, c.busy)
        && Objects.equals(logFrames, c.logFrames) && Objects.equals(checkpointedFrames, c.checkpointedFrames)
        && Objects.equals(walBytesBefore, c.walBytesBefore) && Objects.equals(walBytesAfter, c.walBytesAfter)
        && Objects.equals(pod, c.pod) && Objects.equals(error, c.error);
  }

  @Override
  public int hashCode() {
    return Objects.hash(time, outcome, busy, logFrames, checkpointedFrames, walBytesBefore, walBytesAfter, pod, error);
  }
}
