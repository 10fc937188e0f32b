package io.walguard.jobs;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.walguard.apps.ImageReference;
import io.walguard.placement.Opener;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a Litestream replicator next to the application. Litestream holds a read transaction open and runs its
 * own checkpoints so it can copy every WAL frame before it is reset; a second checkpointer would fight it (its
 * TRUNCATE/RESTART checkpoints would wait on Litestream's reader, or reset frames Litestream has not shipped).
 * So walguard holds its CronJob off when one is there.
 */
public final class Litestream {

  private static final String LITESTREAM = "litestream";
  private static final Set<String> SHELLS = Set.of("sh", "bash", "ash", "dash", "zsh", "ksh");
  private static final Set<String> WRAPPERS = Set.of("tini", "dumb-init", "catatonit", "env", "exec", "nohup",
      "busybox");
  private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*", Pattern.DOTALL);
  /**
   * {@code litestream} as a word of a script, bare or as the last component of a path: not a part of another word,
   * a file name ({@code litestream.yml}) or a directory ({@code /etc/litestream/}).
   */
  private static final Pattern COMMAND_WORD = Pattern.compile("(?<![\\w./-])(?:[\\w.-]*/)*litestream(?![\\w./-])");

  private Litestream() {}

  /** The first container that runs Litestream among the openers' pod templates, as {@code Kind/name container c}. */
  public static Optional<String> find(List<Opener> openers) {
    for (Opener opener : openers) {
      PodSpec spec = podSpec(opener.object());
      if (spec == null) {
        continue;
      }
      for (Container c : containers(spec)) {
        if (isLitestream(c)) {
          return Optional.of(opener.ref() + " container " + c.getName() + " (" + c.getImage() + ")");
        }
      }
    }
    return Optional.empty();
  }

  static boolean isLitestream(Container container) {
    if (container.getImage() != null && ImageReference.parse(container.getImage()).name().equals(LITESTREAM)) {
      return true;
    }
    List<String> argv = new ArrayList<>();
    if (container.getCommand() != null) {
      argv.addAll(container.getCommand());
    }
    if (container.getArgs() != null) {
      argv.addAll(container.getArgs());
    }
    String program = program(argv);
    if (LITESTREAM.equals(program)) {
      return true;
    }
    // A shell that runs a script: [/bin/sh, -c, "litestream restore ... && exec litestream replicate ..."].
    return SHELLS.contains(program) && argv.stream().filter(w -> !w.startsWith("-"))
        .anyMatch(w -> COMMAND_WORD.matcher(w).find());
  }

  /** The program a command line runs, past init wrappers, their options and variable assignments. */
  private static String program(List<String> argv) {
    for (String word : argv) {
      String name = basename(word);
      if (!WRAPPERS.contains(name) && !word.startsWith("-") && !ASSIGNMENT.matcher(word).matches()) {
        return name;
      }
    }
    return "";
  }

  private static String basename(String word) {
    String w = word.trim();
    return w.substring(w.lastIndexOf('/') + 1);
  }

  private static List<Container> containers(PodSpec spec) {
    // Native sidecars are init containers with restartPolicy Always; classic ones are plain containers.
    return Stream.concat(
            spec.getContainers() == null ? Stream.empty() : spec.getContainers().stream(),
            spec.getInitContainers() == null ? Stream.empty() : spec.getInitContainers().stream())
        .toList();
  }

  private static PodSpec podSpec(HasMetadata object) {
    PodTemplateSpec template = null;
    if (object instanceof Deployment d) {
      template = d.getSpec().getTemplate();
    } else if (object instanceof StatefulSet s) {
      template = s.getSpec().getTemplate();
    } else if (object instanceof DaemonSet ds) {
      template = ds.getSpec().getTemplate();
    } else if (object instanceof ReplicaSet rs) {
      template = rs.getSpec().getTemplate();
    } else if (object instanceof Job j) {
      template = j.getSpec().getTemplate();
    } else if (object instanceof CronJob cj) {
      template = cj.getSpec().getJobTemplate().getSpec().getTemplate();
    } else if (object instanceof Pod p) {
      return p.getSpec();
    }
    return template == null ? null : template.getSpec();
  }
}
