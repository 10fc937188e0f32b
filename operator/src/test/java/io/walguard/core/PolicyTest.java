package io.walguard.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.walguard.api.SqliteDatabaseSpec.Remedy;
import io.walguard.apps.AppProfile;
import io.walguard.apps.AppProfiles;
import io.walguard.core.Policy.Options;
import io.walguard.core.Policy.Platform;
import io.walguard.placement.Opener;
import io.walguard.placement.Placement;
import io.walguard.placement.RunningPod;
import io.walguard.storage.StorageClassification;
import io.walguard.storage.StorageKind;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decision table of DESIGN.md section 6 and its fine print, row by row: storage and placement in, safety, action
 * and reasons out. Storage and placement are built by hand, so each row pins the table, not the classifier or the
 * placement analyzer.
 */
class PolicyTest {

  // Storage, each with evidence that names the object that decided it.
  private static final StorageClassification EBS =
      StorageClassification.of(StorageKind.local, "StorageClass gp3: provisioner ebs.csi.aws.com");
  private static final StorageClassification EFS =
      StorageClassification.of(StorageKind.network, "StorageClass efs-sc: provisioner efs.csi.aws.com");
  private static final StorageClassification NFS_NOLOCK = new StorageClassification(StorageKind.network,
      "PersistentVolume nfs-pv: spec.nfs", true, "PersistentVolume nfs-pv: mount option nolock", "nfs", "nfs");
  private static final StorageClassification GCSFUSE =
      StorageClassification.of(StorageKind.fuse, "StorageClass gcs: provisioner gcsfuse.csi.storage.gke.io");
  private static final StorageClassification MYSTERY =
      StorageClassification.of(StorageKind.unknown, "StorageClass vendor-x: provisioner csi.vendor-x.io is not in"
          + " the driver table");

  // Openers, each with the reason placement would give.
  private static final Opener GRAFANA_SURGE = new Opener("Deployment", "grafana", null, true, null, false, true,
      List.of("Deployment/grafana: RollingUpdate with maxSurge 1 can run two pods on two nodes during a rollout"));
  private static final Opener GRAFANA_RECREATE = new Opener("Deployment", "grafana", null, true, null, false, false,
      List.of("Deployment/grafana: one replica, and Recreate stops the old pod before it starts the new one"));
  private static final Opener GRAFANA_WALGUARD_PINNED = new Opener("Deployment", "grafana", null, true, "node-a", true,
      false, List.of("Deployment/grafana: 3 replicas, but walguard's pin keeps every pod on node-a"));
  private static final Opener AGENT = new Opener("DaemonSet", "agent", null, false, null, false, true,
      List.of("DaemonSet/agent: a DaemonSet runs one pod on every node it can, so on several nodes at once"));
  private static final Opener SHELL_A = new Opener("Pod", "shell-a", null, true, "node-a", false, false,
      List.of("Pod/shell-a: a bare Pod on node node-a; it stays there"));
  private static final Opener SHELL_B = new Opener("Pod", "shell-b", null, true, "node-b", false, false,
      List.of("Pod/shell-b: a bare Pod on node node-b; it stays there"));

  private static Placement placement(boolean severalNodes, boolean singlePodAccess, Opener... openers) {
    List<Opener> list = List.of(openers);
    List<String> reasons = list.stream().flatMap(o -> o.reasons().stream()).toList();
    boolean allPinnable = list.stream().allMatch(Opener::pinnable);
    boolean pinnedByWalguard = !severalNodes && list.stream().anyMatch(Opener::walguardPinned);
    Optional<String> common = pinnedByWalguard ? Optional.of("node-a") : Optional.empty();
    return new Placement(list, severalNodes, reasons, List.of(), List.of(), common, allPinnable, pinnedByWalguard,
        singlePodAccess);
  }

  private static final Placement MULTI = placement(true, false, GRAFANA_SURGE);
  private static final Placement SINGLE = placement(false, false, GRAFANA_RECREATE);
  private static final Placement DAEMON = placement(true, false, AGENT);
  /** A claim no workload mounts (yet): placement finds no opener. */
  private static final Placement NO_OPENER = new Placement(List.of(), false,
      List.of("no workload mounts claim data yet"), List.of(), List.of(), Optional.empty(), true, false, false);
  private static final Placement WALGUARD_PINNED = placement(false, false, GRAFANA_WALGUARD_PINNED);
  /** walguard pinned the Deployment, but an old pod still runs on another node: the window is reported. */
  private static final Placement PIN_WINDOW = new Placement(List.of(GRAFANA_WALGUARD_PINNED), true,
      List.of("Pod/grafana-1 of Deployment/grafana still runs on node-b, not on node-a where Deployment/grafana is now"
          + " confined: until its rollout replaces it, openers are on two nodes"),
      List.of(new RunningPod("grafana-1", "node-b", null, "Deployment/grafana")), List.of("node-b"),
      Optional.of("node-a"), true, true, false);
  /** Two bare Pods on two nodes: each needs no pin, but nothing walguard changes brings them together. */
  private static final Placement BARE_APART = new Placement(List.of(SHELL_A, SHELL_B), true,
      List.of("claim data is open on 2 nodes right now"), List.of(), List.of("node-a", "node-b"), Optional.empty(),
      false, false, false);

  private static final AppProfiles APPS = AppProfiles.builtIn();
  private static final AppProfile UPTIME_KUMA = APPS.find("uptime-kuma").orElseThrow();
  private static final AppProfile GRAFANA_APP = APPS.find("grafana").orElseThrow();

  private static Options remedy(Remedy remedy) {
    return Options.kubernetes(remedy);
  }

  private static Options paused(Remedy remedy) {
    return new Options(remedy, true, Optional.empty(), Optional.empty(), Platform.KUBERNETES);
  }

  private static Options observed(String journalMode) {
    return new Options(Remedy.auto, false, Optional.of(journalMode), Optional.empty(), Platform.KUBERNETES);
  }

  private static Options app(AppProfile app, Remedy remedy) {
    return new Options(remedy, false, Optional.empty(), Optional.of(app), Platform.KUBERNETES);
  }

  /** The SqliteDatabase walguard creates for a claim opted in with walguard.io/sqlite: remedy none. */
  private static Options optedIn() {
    return new Options(Remedy.none, false, Optional.empty(), Optional.empty(), Platform.KUBERNETES,
        Optional.of("apps/data"));
  }

  record Row(String name, StorageClassification storage, Placement placement, Options options, Safety safety,
      Action action, List<String> reasons) {

    @Override
    public String toString() {
      return name;
    }
  }

  private static Row row(String name, StorageClassification storage, Placement placement, Options options,
      Safety safety, Action action, String... reasons) {
    return new Row(name, storage, placement, options, safety, action, List.of(reasons));
  }

  static Stream<Row> table() {
    return Stream.of(
        // local: one kernel at a time by construction
        row("local storage is safe even when openers can span nodes", EBS, MULTI, remedy(Remedy.auto), Safety.safe,
            Action.none, "StorageClass gp3: provisioner ebs.csi.aws.com", "one kernel at a time"),
        row("local storage with remedy none is safe with nothing to do", EBS, MULTI, remedy(Remedy.none), Safety.safe,
            Action.none, "StorageClass gp3"),
        row("local storage of a paused database is safe with nothing to do", EBS, MULTI, paused(Remedy.auto),
            Safety.safe, Action.none, "StorageClass gp3"),

        // network, one node
        row("network storage with one non-overlapping opener is safe", EFS, SINGLE, remedy(Remedy.auto), Safety.safe,
            Action.none, "Deployment/grafana: one replica, and Recreate", "StorageClass efs-sc",
            "every opener stays on one node"),
        row("network storage that nothing opens yet is safe until openers on two nodes mount it", EFS, NO_OPENER,
            remedy(Remedy.auto), Safety.safe, Action.none, "no workload mounts claim data yet",
            "StorageClass efs-sc", "no opener is known yet, so nothing opens the database on two nodes today; it"
                + " becomes unsafe the moment openers on two nodes mount it"),
        row("network storage on one node is safe even with node-local locks", NFS_NOLOCK, SINGLE,
            remedy(Remedy.journal), Safety.safe, Action.none, "Deployment/grafana", "PersistentVolume nfs-pv"),
        row("a paused database on one node is safe with nothing to do", EFS, SINGLE, paused(Remedy.auto), Safety.safe,
            Action.none, "Deployment/grafana"),

        // network, several nodes: the remedy
        row("network storage across nodes with remedy auto pins", EFS, MULTI, remedy(Remedy.auto), Safety.unsafe,
            Action.pin, "Deployment/grafana: RollingUpdate with maxSurge 1 can run two pods on two nodes during a"
                + " rollout", "StorageClass efs-sc", "remedy auto: walguard will pin every opener to one node"),
        row("network storage across nodes with remedy pin pins", EFS, MULTI, remedy(Remedy.pin), Safety.unsafe,
            Action.pin, "Deployment/grafana: RollingUpdate", "remedy pin: walguard will pin every opener"),
        row("network storage across nodes with remedy journal moves to a rollback journal", EFS, MULTI,
            remedy(Remedy.journal), Safety.unsafe, Action.journal, "Deployment/grafana: RollingUpdate",
            "remedy journal: walguard will move the database to a rollback journal (journal_mode=DELETE)"),
        row("network storage across nodes with remedy none only reports", EFS, MULTI, remedy(Remedy.none),
            Safety.unsafe, Action.observe, "Deployment/grafana: RollingUpdate",
            "remedy is none: walguard only reports; to fix it, pin every opener to one node"),
        row("a paused database that is unsafe is observed", EFS, MULTI, paused(Remedy.auto), Safety.unsafe,
            Action.observe, "Deployment/grafana: RollingUpdate", "the SqliteDatabase is paused (walguard.io/paused)"),
        row("a paused database with remedy journal is observed too", EFS, MULTI, paused(Remedy.journal),
            Safety.unsafe, Action.observe, "walguard.io/paused"),
        row("remedy auto with a DaemonSet, which cannot be pinned, uses the journal", EFS, DAEMON,
            remedy(Remedy.auto), Safety.unsafe, Action.journal, "DaemonSet/agent: a DaemonSet runs one pod on every"
                + " node", "remedy auto: DaemonSet/agent cannot be pinned to one node, so walguard will move the"
                + " database to a rollback journal"),
        row("remedy pin with a DaemonSet is not possible and is observed", EFS, DAEMON, remedy(Remedy.pin),
            Safety.unsafe, Action.observe, "remedy pin is not possible: DaemonSet/agent cannot be pinned to one node;"
                + " use remedy journal or auto"),

        // node-local locks: a journal is not safe either
        row("node-local locks turn remedy journal into a pin", NFS_NOLOCK, MULTI, remedy(Remedy.journal),
            Safety.unsafe, Action.pin, "Deployment/grafana: RollingUpdate", "PersistentVolume nfs-pv: spec.nfs",
            "remedy journal is not enough: locks on this volume are node-local (PersistentVolume nfs-pv: mount option"
                + " nolock)"),
        row("node-local locks with remedy auto pin", NFS_NOLOCK, MULTI, remedy(Remedy.auto), Safety.unsafe,
            Action.pin, "Deployment/grafana", "remedy auto: walguard will pin"),
        row("node-local locks and a DaemonSet: nothing walguard can change makes it safe", NFS_NOLOCK, DAEMON,
            remedy(Remedy.journal), Safety.unsafe, Action.observe, "DaemonSet/agent",
            "locks on this volume are node-local (PersistentVolume nfs-pv: mount option nolock)",
            "DaemonSet/agent cannot be pinned to one node"),
        row("node-local locks and a DaemonSet with remedy auto are observed", NFS_NOLOCK, DAEMON, remedy(Remedy.auto),
            Safety.unsafe, Action.observe, "DaemonSet/agent cannot be pinned to one node, and locks on this volume are"
                + " node-local"),
        row("node-local locks, a DaemonSet and remedy none: the suggestion says what is left", NFS_NOLOCK, DAEMON,
            remedy(Remedy.none), Safety.unsafe, Action.observe,
            "to fix it, run a single opener or move the database to a block volume"),

        // claims opted in by annotation: report only, and say what remedy auto would do and where to adopt it
        row("an opted-in claim across nodes is observed, and says remedy auto would pin", EFS, MULTI, optedIn(),
            Safety.unsafe, Action.observe, "Deployment/grafana: RollingUpdate",
            "the claim is opted in with walguard.io/sqlite, and the SqliteDatabase apps/data walguard creates for it"
                + " has remedy none, so walguard only reports; remedy auto would pin every opener to one node with a"
                + " required node affinity: to adopt it, set spec.remedy: auto on that SqliteDatabase (kubectl edit"
                + " sqlitedb -n apps data), or write your own SqliteDatabase for the claim"),
        row("an opted-in DaemonSet is observed, and says remedy auto would use the journal", EFS, DAEMON, optedIn(),
            Safety.unsafe, Action.observe, "remedy auto would move the database to a rollback journal"
                + " (journal_mode=DELETE), as DaemonSet/agent cannot be pinned to one node: to adopt it"),
        row("an opted-in claim that no remedy can save says so", NFS_NOLOCK, DAEMON, optedIn(), Safety.unsafe,
            Action.observe, "remedy auto would not make it safe either (DaemonSet/agent cannot be pinned to one"
                + " node, and locks on this volume are node-local"),
        row("an opted-in claim on one node is safe with nothing to do", EFS, SINGLE, optedIn(), Safety.safe,
            Action.none, "every opener stays on one node"),
        row("an opted-in claim on unknown storage says where to set the override", MYSTERY, MULTI, optedIn(),
            Safety.unknown, Action.observe, "on the SqliteDatabase apps/data walguard creates for the annotation"
                + " walguard.io/sqlite (or on one you write for the claim), set spec.storage or annotate it"
                + " walguard.io/probe"),

        // fuse and unknown
        row("fuse storage is unsafe and only observed", GCSFUSE, SINGLE, remedy(Remedy.auto), Safety.unsafe,
            Action.observe, "StorageClass gcs: provisioner gcsfuse.csi.storage.gke.io",
            "a rollback journal does not make it safe either"),
        row("fuse storage stays unsafe with remedy journal", GCSFUSE, MULTI, remedy(Remedy.journal), Safety.unsafe,
            Action.observe, "StorageClass gcs"),
        row("fuse storage stays unsafe even for ReadWriteOncePod", GCSFUSE, placement(false, true, GRAFANA_RECREATE),
            remedy(Remedy.auto), Safety.unsafe, Action.observe, "StorageClass gcs"),
        row("unknown storage is unknown and observed, with the way out", MYSTERY, MULTI, remedy(Remedy.auto),
            Safety.unknown, Action.observe, "StorageClass vendor-x: provisioner csi.vendor-x.io",
            "set spec.storage", "walguard.io/probe", "Deployment/grafana: RollingUpdate"),
        row("unknown storage on one node is still unknown", MYSTERY, SINGLE, remedy(Remedy.pin), Safety.unknown,
            Action.observe, "StorageClass vendor-x", "Deployment/grafana"),
        row("unknown storage with ReadWriteOncePod is still unknown: it might be fuse", MYSTERY,
            placement(true, true, GRAFANA_SURGE), remedy(Remedy.auto), Safety.unknown, Action.observe,
            "StorageClass vendor-x"),

        // what access modes buy
        row("ReadWriteOncePod on network storage is safe: one pod in the cluster", EFS,
            placement(true, true, GRAFANA_SURGE), remedy(Remedy.auto), Safety.safe, Action.none,
            "StorageClass efs-sc", "ReadWriteOncePod", "Deployment/grafana"),

        // walguard's own remedies stay visible
        row("a database safe because walguard pinned it keeps action pin", EFS, WALGUARD_PINNED, remedy(Remedy.auto),
            Safety.safe, Action.pin, "Deployment/grafana: 3 replicas, but walguard's pin", "StorageClass efs-sc"),
        row("a paused database that walguard keeps pinned stays safe with action pin", EFS, WALGUARD_PINNED,
            paused(Remedy.auto), Safety.safe, Action.pin, "Deployment/grafana"),
        row("walguard's pin still rolling out: openers on two nodes are reported", EFS, PIN_WINDOW,
            remedy(Remedy.auto), Safety.unsafe, Action.pin, "Pod/grafana-1 of Deployment/grafana still runs on node-b"),
        row("an observed rollback journal across nodes is safe with action journal", EFS, MULTI, observed("delete"),
            Safety.safe, Action.journal, "Deployment/grafana: RollingUpdate", "StorageClass efs-sc",
            "the database uses a rollback journal (delete)"),
        row("an observed TRUNCATE journal counts as a rollback journal", EFS, MULTI, observed("TRUNCATE"),
            Safety.safe, Action.journal, "rollback journal (TRUNCATE)"),
        row("an observed WAL is still unsafe", EFS, MULTI, observed("wal"), Safety.unsafe, Action.pin,
            "Deployment/grafana: RollingUpdate"),
        row("an observed rollback journal on node-local locks is not safe", NFS_NOLOCK, MULTI, observed("delete"),
            Safety.unsafe, Action.pin, "the database uses a rollback journal (delete), but locks on this volume are"
                + " node-local (PersistentVolume nfs-pv: mount option nolock), so it is not safe across nodes either"),
        row("an observed rollback journal does not stick for an app that forces WAL", EFS, MULTI,
            new Options(Remedy.auto, false, Optional.of("delete"), Optional.of(UPTIME_KUMA), Platform.KUBERNETES),
            Safety.unsafe, Action.pin, "the database uses a rollback journal (delete), but app uptime-kuma switches"
                + " WAL back on at its next start"),

        // app profiles
        row("an app that forces WAL turns remedy journal into a pin", EFS, MULTI, app(UPTIME_KUMA, Remedy.journal),
            Safety.unsafe, Action.pin, "Deployment/grafana: RollingUpdate",
            "app uptime-kuma switches WAL back on at every start and has no setting to stop it"),
        row("an app that forces WAL with remedy auto and nothing pinnable is observed", EFS, DAEMON,
            app(UPTIME_KUMA, Remedy.auto), Safety.unsafe, Action.observe, "DaemonSet/agent cannot be pinned",
            "app uptime-kuma switches WAL back on"),
        row("an app that forces WAL with remedy auto and pinnable openers pins", EFS, MULTI,
            app(UPTIME_KUMA, Remedy.auto), Safety.unsafe, Action.pin, "remedy auto: walguard will pin"),
        row("an app with a journal setting takes remedy journal", EFS, MULTI, app(GRAFANA_APP, Remedy.journal),
            Safety.unsafe, Action.journal, "remedy journal: walguard will move the database to a rollback journal"),
        row("an app with a journal setting, a DaemonSet and remedy auto uses the journal", EFS, DAEMON,
            app(GRAFANA_APP, Remedy.auto), Safety.unsafe, Action.journal, "DaemonSet/agent cannot be pinned"),

        // openers held apart by what walguard does not change
        row("bare Pods on two nodes cannot be pinned together: remedy auto uses the journal", EFS, BARE_APART,
            remedy(Remedy.auto), Safety.unsafe, Action.journal,
            "remedy auto: Pod/shell-a on node-a, Pod/shell-b on node-b are held on different nodes by what walguard"
                + " does not change, so they cannot be pinned to one node, so walguard will move the database to a"
                + " rollback journal"),
        row("bare Pods on two nodes with remedy pin are observed", EFS, BARE_APART, remedy(Remedy.pin), Safety.unsafe,
            Action.observe, "remedy pin is not possible: Pod/shell-a on node-a, Pod/shell-b on node-b are held on"
                + " different nodes"),

        // the same rules in Compose words
        row("Compose and Swarm pin with a placement constraint", EFS, MULTI,
            new Options(Remedy.auto, false, Optional.empty(), Optional.empty(), Platform.COMPOSE), Safety.unsafe,
            Action.pin, "placement constraint (node.hostname == X)"));
  }

  @Test
  void aClaimWithoutOpenersIsNotSaidToHaveEveryOpenerOnOneNode() {
    Verdict v = Policy.judge(EFS, NO_OPENER, remedy(Remedy.auto));

    assertThat(v.reasons()).noneSatisfy(r -> assertThat(r).contains("every opener stays on one node"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void decisionTable(Row row) {
    Verdict v = Policy.judge(row.storage(), row.placement(), row.options());

    assertThat(v.safety()).as("safety, reasons %s", v.reasons()).isEqualTo(row.safety());
    assertThat(v.action()).as("action, reasons %s", v.reasons()).isEqualTo(row.action());
    for (String reason : row.reasons()) {
      assertThat(v.reasons()).as("reasons").anySatisfy(r -> assertThat(r).contains(reason));
    }
    assertThat(v.storage()).isSameAs(row.storage());
    assertThat(v.placement()).isSameAs(row.placement());
    assertThat(v.reasons()).doesNotContainNull().noneSatisfy(r -> assertThat(r).contains("null"));
  }
}
