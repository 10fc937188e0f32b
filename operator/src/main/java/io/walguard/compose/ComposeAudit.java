package io.walguard.compose;

import io.walguard.api.SqliteDatabaseSpec.Remedy;
import io.walguard.apps.AppProfile;
import io.walguard.apps.AppProfiles;
import io.walguard.audit.AuditEntry;
import io.walguard.audit.BadInputException;
import io.walguard.core.Action;
import io.walguard.core.Policy;
import io.walguard.core.Verdict;
import io.walguard.placement.Placement;
import io.walguard.storage.StorageClassification;
import io.walguard.storage.StorageKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code walguard audit -f compose.yaml}: the same rules applied to Docker Compose and Swarm files (DESIGN.md §10).
 *
 * <p>The file is read as {@code docker compose} reads it (anchors, merge keys, interpolation, {@code include},
 * {@code extends}); each database's storage is classified from its volume and its placement from the services that
 * mount it, and {@link Policy#judge} decides, with Compose's words for the remedies.
 */
public final class ComposeAudit {

  /** The file names that make a file (or a directory's file) a Compose file, in the order Compose prefers them. */
  public static final List<String> FILE_NAMES =
      List.of("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml");

  /** The override files Compose lays over a directory's Compose file, in the order it prefers them. */
  static final List<String> OVERRIDE_FILE_NAMES = List.of("compose.override.yml", "compose.override.yaml",
      "docker-compose.override.yml", "docker-compose.override.yaml");

  private static final AppProfiles APPS = AppProfiles.builtIn();

  private final Map<String, String> environment;
  private final VolumeStorage storage = new VolumeStorage(VolumeDrivers.builtIn());

  /** Interpolates variables from the process environment and the {@code .env} file, as {@code docker compose} does. */
  public ComposeAudit() {
    this(System.getenv());
  }

  /** Interpolates from {@code environment} (in place of the process environment) and the {@code .env} file. */
  public ComposeAudit(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  public static boolean isComposeFile(Path file) {
    return file.getFileName() != null && FILE_NAMES.contains(file.getFileName().toString());
  }

  /**
   * Whether a file has a name {@code docker stack deploy -c} files usually go by ({@code docker-stack.yml},
   * {@code stack.yml} ...): a Compose file of its own, read as a Swarm stack.
   */
  public static boolean isStackFile(Path file) {
    return file.getFileName() != null && ComposeModel.STACK_FILE_NAMES.contains(file.getFileName().toString());
  }

  /** Whether a file is a Compose file or a Compose override file, which a directory's project reads together. */
  public static boolean belongsToProject(Path file) {
    String name = file.getFileName().toString();
    return FILE_NAMES.contains(name) || OVERRIDE_FILE_NAMES.contains(name);
  }

  /**
   * The Compose file {@code docker compose} would use in {@code directory}: the first of {@link #FILE_NAMES} that
   * exists (Compose warns and takes the first when there are several), or empty when there is none.
   */
  public static Optional<Path> findIn(Path directory) {
    return FILE_NAMES.stream().map(directory::resolve).filter(Files::isRegularFile).findFirst();
  }

  /** The databases of one Compose project, and every file read for it. */
  public record Result(List<AuditEntry> entries, Set<Path> files) {}

  /**
   * Every database in one Compose project. {@code path} is a Compose file, or a directory, which is read like
   * {@code docker compose} run there: its Compose file with its override file ({@code compose.override.yaml} ...)
   * laid over it. {@code swarm} forces Swarm placement rules (the {@code --swarm} flag); without it they apply when
   * the file says it is a Swarm stack (by its name, {@code deploy.placement}, {@code deploy.mode: global},
   * {@code deploy.update_config} or {@code rollback_config}, or an {@code overlay} network).
   */
  public List<AuditEntry> audit(Path path, boolean swarm) throws BadInputException {
    return audit(ComposeProject.of(path), swarm).entries();
  }

  /** Every database in one Compose project, whose files are laid over each other in order. */
  public Result audit(ComposeProject project, boolean swarm) throws BadInputException {
    ComposeModel model = new ComposeLoader(environment).load(project);
    Optional<String> swarmWhy = swarm ? Optional.of("--swarm was given") : model.swarmSign();
    boolean swarmStack = swarmWhy.isPresent();
    List<AuditEntry> entries = new ArrayList<>();
    for (ComposeClaim claim : ComposeDatabases.find(model)) {
      List<ComposeService> openers = model.services().values().stream()
          .filter(s -> model.mountsOf(s).stream().anyMatch(claim::mountedBy))
          .sorted(Comparator.comparing(ComposeService::name))
          .toList();
      StorageClassification classification = storage.classify(claim, swarmStack);
      Placement placement = ServicePlacement.of(claim, openers, swarmWhy);
      Optional<AppProfile> app = appOf(openers);
      Verdict verdict = Policy.judge(classification, placement,
          new Policy.Options(Remedy.auto, false, Optional.empty(), app, Policy.Platform.COMPOSE));
      AuditEntry entry = withAppSwitch(AuditEntry.of(model.project(), claim.name(), claim.name(), verdict), verdict,
          app, openers);
      if (swarmStack && placement.severalNodes() && classification.kind() == StorageKind.local) {
        Optional<String> split = splitData(claim, openers);
        if (split.isPresent()) {
          entry = withReason(entry, split.get());
        }
      }
      entries.add(entry);
    }
    entries.sort(Comparator.comparing(AuditEntry::name));
    return new Result(entries, model.files());
  }

  /**
   * A bind mount or a volume of Docker's local driver is safe for WAL on any number of nodes, but it is not one
   * database there: each node has its own directory or volume, so tasks on different nodes write different files.
   * Said plainly, since the verdict alone reads "safe". (A block device plugin is one volume that moves instead.)
   */
  private static Optional<String> splitData(ComposeClaim claim, List<ComposeService> openers) {
    String who = String.join(", ", openers.stream().map(ComposeService::ref).toList());
    String fix = "; to keep one database, hold " + (openers.size() == 1 ? "it" : "them")
        + " to one node with a placement constraint (node.hostname == X)";
    ComposeVolume volume = claim.volume();
    if (volume == null) {
      return Optional.of("bind mount " + claim.name() + " is a directory of each node: in this Swarm stack " + who
          + " can run on several nodes, each writing its own copy of the database there, so the data splits between"
          + " nodes" + fix + " (or, if that directory is a network share mounted on every node, set storage: network"
          + " for it in x-walguard)");
    }
    if (volume.driver() != null && !volume.driver().equalsIgnoreCase("local")) {
      return Optional.empty();
    }
    String device = volume.driverOpts().get("device");
    return Optional.of("volume " + claim.name() + " uses Docker's local driver, which creates it separately on each"
        + " node that runs a task: in this Swarm stack " + who + " can run on several nodes, each with its own volume "
        + claim.name() + ", so the data splits between nodes" + fix + (device == null ? ""
            : " (or, if device " + device + " is a network share mounted on every node, set storage: network for it"
                + " in x-walguard)"));
  }

  private static AuditEntry withReason(AuditEntry entry, String reason) {
    List<String> reasons = new ArrayList<>(entry.reasons());
    reasons.add(reason);
    return new AuditEntry(entry.namespace(), entry.name(), entry.claim(), entry.storage(), entry.storageEvidence(),
        entry.openers(), entry.nodes(), entry.verdict(), entry.action(), List.copyOf(reasons));
  }

  /**
   * The app profile of the services that open the database, matched by image. An app that forces WAL wins, since a
   * journal cannot help any of the openers then.
   */
  private static Optional<AppProfile> appOf(List<ComposeService> openers) {
    List<AppProfile> apps = openers.stream().map(s -> APPS.byImage(s.image())).flatMap(Optional::stream).toList();
    return apps.stream().filter(AppProfile::forcesWal).findFirst().or(() -> apps.stream().findFirst());
  }

  /** When the remedy is the application's own journal switch and its profile names it, say which one. */
  private static AuditEntry withAppSwitch(AuditEntry entry, Verdict verdict, Optional<AppProfile> app,
      List<ComposeService> openers) {
    if (verdict.action() != Action.journal || app.isEmpty() || app.get().env() == null) {
      return entry;
    }
    AppProfile profile = app.get();
    List<String> services = openers.stream()
        .filter(s -> APPS.byImage(s.image()).filter(profile::equals).isPresent()).map(ComposeService::ref).toList();
    boolean one = services.size() == 1;
    return withReason(entry, String.join(", ", services) + (one ? " runs " : " run ") + profile.name() + ": set "
        + profile.env() + "=" + profile.value() + " in " + (one ? "its" : "their") + " environment ("
        + profile.docs() + ")");
  }
}
