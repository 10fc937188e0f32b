package io.walguard.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** What walguard's probe pod saw of the filesystem that backs the claim, from the openers' node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProbeResult {
  @JsonPropertyDescription("Filesystem type from /proc/self/mountinfo, e.g. nfs4, ext4, fuse.s3fs.")
  private String fstype;
  @JsonPropertyDescription("The mount's source, e.g. server:/export.")
  private String source;
  @JsonPropertyDescription("Mount and super options together, e.g. rw,vers=4.1,hard.")
  private String options;
  @JsonPropertyDescription("The claim and node the probe ran for, as claim@node.")
  private String target;
  @JsonPropertyDescription("When the probe finished (RFC 3339).")
  private String time;

  public String getFstype() { return fstype; }
  public void setFstype(String fstype) { this.fstype = fstype; }
  public String getSource() { return source; }
  public void setSource(String source) { this.source = source; }
  public String getOptions() { return options; }
  public void setOptions(String options) { this.options = options; }
  public String getTarget() { return target; }
  public void setTarget(String target) { this.target = target; }
  public String getTime() { return time; }
  public void setTime(String time) { this.time = time; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProbeResult p && Objects.equals(fstype, p.fstype) && Objects.equals(source, p.source)
        && Objects.equals(options, p.options) && Objects.equals(target, p.target) && Objects.equals(time, p.time);
  }

  @Override
  public int hashCode() {
    return Objects.hash(fstype, source, options, target, time);
  }
}
