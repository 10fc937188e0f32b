package io.walguard.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseSpec.Remedy;
import io.walguard.api.SqliteDatabaseStatus;
import io.walguard.apps.AppProfile;
import io.walguard.apps.AppProfiles;
import io.walguard.core.Action;
import io.walguard.jobs.ToolboxJob;
import io.walguard.placement.Opener;
import io.walguard.sqlite.ToolboxJvm;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The journal remedy: tell the application itself to stop using WAL (its app profile's switch, set in the openers'
 * pod templates), then convert the file with a one-shot {@code walguard sqlite set-journal-mode} Job, and report the
 * {@code JournalMode} condition from the Job's result. The observed mode goes to {@code status.journalMode}, which
 * {@link CacheFacts#observedJournalMode} hands the decision core.
 */
final class JournalRemedy {

  static final Set<String> ROLLBACK = Set.of("delete", "truncate", "persist");

  private final ToolboxObjects objects;
  private final WorkloadPatcher patcher;
  private final ClusterCaches caches;
  private final EventRecorder events;
  private final AppProfiles apps;
  private final String image;

  JournalRemedy(ToolboxObjects objects, WorkloadPatcher patcher, ClusterCaches caches, EventRecorder events,
      AppProfiles apps, String image) {
    this.objects = objects;
    this.patcher = patcher;
    this.caches = caches;
    this.events = events;
    this.apps = apps;
    this.image = image;
  }

  /** The node the switch runs on: the openers' node, else the first node an opener runs on, else any. */
  static String node(Assessment a) {
    return a.openersNode().orElseGet(() -> a.nodes().isEmpty() ? null : a.nodes().get(0));
  }

  /** The app profile: {@code spec.app}, else the first opener image a profile knows. */
  Optional<AppProfile> profile(Assessment a) {
    SqliteDatabase db = a.database();
    if (db.getSpec().getApp() != null && !db.getSpec().getApp().isBlank()) {
      return apps.find(db.getSpec().getApp());
    }
    return a.verdict().stream().flatMap(v -> v.placement().openers().stream())
        .flatMap(o -> OpenerContexts.podSpec(o.object()).stream())
        .flatMap(s -> s.getContainers() == null ? java.util.stream.Stream.empty() : s.getContainers().stream())
        .map(c -> apps.byImage(c.getImage())).flatMap(Optional::stream).findFirst();
  }

  /** Reads the newest finished switch into {@code seen.journalMode}: what the file header said afterwards. */
  void read(SqliteDatabase db, SqliteDatabaseStatus seen) {
    ToolboxResults.finished(caches, db, ToolboxJob.JOURNAL).stream().findFirst()
        .flatMap(ToolboxResults::journalModeAfter).ifPresent(seen::setJournalMode);
  }

  /** Runs the remedy when the verdict asks for it, and returns the JournalMode condition, or empty to keep. */
  Optional<Condition> reconcile(Assessment a, SqliteDatabaseStatus status) {
    SqliteDatabase db = a.database();
    if (a.verdict().isEmpty() || a.fileUnknown()) {
      return Optional.empty();
    }
    Optional<AppProfile> app = profile(a);
    boolean asked = StatusComposer.remedy(db) == Remedy.journal || a.verdict().get().action() == Action.journal;
    if (asked && app.map(AppProfile::forcesWal).orElse(false)) {
      return Optional.of(condition("False", "AppForcesWal", "app " + app.get().name() + " switches WAL back on"
          + " every time it opens the database and has no setting to stop it (" + app.get().docs() + "), so a"
          + " rollback journal would not stick: set spec.remedy to pin (or auto) to keep every opener on one node"));
    }
    if (a.verdict().get().action() != Action.journal || StatusComposer.paused(db)
        || StatusComposer.remedy(db) == Remedy.none) {
      return Optional.empty();
    }
    String observed = status.getJournalMode() == null ? "" : status.getJournalMode().toLowerCase(Locale.ROOT);
    String node = node(a);
    var openers = a.verdict().get().placement().openers();
    app.filter(p -> p.env() != null).ifPresent(p -> setAppSwitch(db, openers, p));
    Job job = ToolboxJob.journalMode(db, mode(db), image, ToolboxJvm.FLAGS, OpenerContexts.of(openers, node));
    String name = job.getMetadata().getName();
    Optional<ToolboxResults.Finished> result = ToolboxResults.journal(caches, db, name);
    if (result.isPresent()) {
      return Optional.of(fromResult(result.get(), name));
    }
    if (ROLLBACK.contains(observed)) {
      return Optional.empty();
    }
    if (objects.createOnce(db, job, caches.get(Job.class, db.getMetadata().getNamespace(), name))) {
      events.normal(db, "JournalSwitchStarted", "created Job " + name + " to move " + db.getSpec().getFile()
          + " to journal_mode=" + mode(db) + (node == null ? "" : " on node " + node));
    }
    return Optional.of(condition("False", "JournalSwitchRunning", "Job " + name + " moves the database file to"
        + " journal_mode=" + mode(db) + "; it needs every opener to let go of the database for a moment and retries"
        + " for up to 2 minutes"));
  }

  private Condition fromResult(ToolboxResults.Finished f, String job) {
    String outcome = f.text("outcome");
    String message = f.text("message");
    if ("changed".equals(outcome) || "unchanged".equals(outcome)) {
      String mode = ToolboxResults.journalModeAfter(f).orElse("unknown");
      return condition(ROLLBACK.contains(mode) ? "True" : "False", "JournalModeSet", "Job " + job + " (pod " + f.pod()
          + ") found the file header says " + mode + " after the switch" + (message == null ? "" : ": " + message));
    }
    if ("gave-up".equals(outcome)) {
      return condition("False", "JournalModeBusy", "Job " + job + " (pod " + f.pod() + ") gave up: the openers held"
          + " the database the whole time" + (message == null ? "" : " (" + message + ")") + "; stop the app"
          + " briefly (scale it to 0) and delete Job " + job + " so walguard runs it again");
    }
    return condition("False", "JournalModeFailed", "Job " + job + " (pod " + f.pod() + ") failed: "
        + (f.report() == null ? ToolboxResults.noReport(f) : message));
  }

  private void setAppSwitch(SqliteDatabase db, List<Opener> openers, AppProfile app) {
    for (Opener opener : openers) {
      HasMetadata workload = opener.object();
      // A bare Pod cannot be patched, nor can a Job's pod template: their next start is the user's.
      if (workload == null || workload instanceof Pod || workload instanceof Job) {
        continue;
      }
      var result = patcher.patch(workload, json -> AppEnvPatch.set(json, workload.getKind(), app.env(), app.value()),
          ops -> ops);
      if (result.updated() != null) {
        events.normal(workload, "JournalSwitchConfigured", "walguard set " + app.env() + "=" + app.value() + " ("
            + app.name() + " app profile) so the application stops using WAL for SqliteDatabase "
            + db.getMetadata().getName());
        events.normal(db, "JournalSwitchConfigured", "set " + app.env() + "=" + app.value() + " on "
            + Workloads.ref(workload));
      } else if (result.failed()) {
        events.warning(db, "JournalSwitchFailed", result.error());
      }
    }
  }

  /** Takes the app's switch out of the workloads walguard set it on. */
  List<String> undo(SqliteDatabase db, io.walguard.core.Facts facts) {
    List<String> errors = new ArrayList<>();
    String claim = db.getSpec().getClaimName();
    for (HasMetadata workload : facts.workloads(db.getMetadata().getNamespace())) {
      var annotations = workload.getMetadata().getAnnotations();
      if (annotations == null || !annotations.containsKey(AppEnvPatch.ANNOTATION)
          || !Workloads.templateClaims(workload).contains(claim)) {
        continue;
      }
      var result = patcher.patch(workload, json -> AppEnvPatch.unset(json, workload.getKind()), ops -> ops);
      if (result.failed()) {
        errors.add(result.error());
      }
    }
    return errors;
  }

  private static String mode(SqliteDatabase db) {
    return db.getSpec().getJournalMode() == null ? "DELETE" : db.getSpec().getJournalMode().name();
  }

  static Condition condition(String status, String reason, String message) {
    return new ConditionBuilder().withType(StatusComposer.JOURNAL_MODE).withStatus(status).withReason(reason)
        .withMessage(message).build();
  }
}
