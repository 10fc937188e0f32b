package io.walguard.reconcile;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseSpec.Remedy;
import io.walguard.api.SqliteDatabaseStatus;
import io.walguard.core.Action;
import io.walguard.core.Policy;
import io.walguard.core.Safety;
import io.walguard.core.Verdict;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SqliteDatabase door: gathers facts from the informer caches, asks the decision core for a verdict, carries out
 * the pin remedy and the toolbox work next to the file ({@link ToolboxOps}), runs the workflow's dependents with the
 * {@link Assessment}, and writes the status only when it changed.
 *
 * <p>The workflow is invoked explicitly after the verdict so that dependents know where the openers are: add them to
 * {@link Workflow#dependents()} and read the assessment from the workflow context under {@link Assessment#KEY}.
 */
@ControllerConfiguration(
    name = SqliteDatabaseReconciler.NAME,
    finalizerName = SqliteDatabaseReconciler.FINALIZER,
    // The paused annotation changes metadata only; status writes are filtered out by PrimaryChanges instead.
    generationAwareEventProcessing = false,
    fieldManager = io.walguard.core.Annotations.FIELD_MANAGER)
@Workflow(explicitInvocation = true, dependents = {})
public final class SqliteDatabaseReconciler implements Reconciler<SqliteDatabase>, Cleaner<SqliteDatabase> {

  public static final String NAME = "sqlitedatabase";
  public static final String FINALIZER = "walguard.io/finalizer";
  private static final Logger log = LoggerFactory.getLogger(SqliteDatabaseReconciler.class);

  private final Policy policy;
  private final ClusterCaches caches;
  private final CacheFacts facts;
  private final Pinner pinner;
  private final EventRecorder events;
  private final Leadership leadership;
  private final WalguardMetrics metrics;
  private final StatusWriter statusWriter;
  private final Clock clock;
  private final ToolboxOps toolbox;
  private final ErrorBackoff backoff = new ErrorBackoff();

  SqliteDatabaseReconciler(Policy policy, ClusterCaches caches, Pinner pinner, EventRecorder events,
      Leadership leadership, WalguardMetrics metrics, StatusWriter statusWriter, Clock clock, ToolboxOps toolbox) {
    this.policy = policy;
    this.caches = caches;
    this.facts = new CacheFacts(caches);
    this.pinner = pinner;
    this.events = events;
    this.leadership = leadership;
    this.metrics = metrics;
    this.statusWriter = statusWriter;
    this.clock = clock;
    this.toolbox = toolbox;
  }

  @Override
  public List<EventSource<?, SqliteDatabase>> prepareEventSources(EventSourceContext<SqliteDatabase> context) {
    return caches.create(context);
  }

  @Override
  public UpdateControl<SqliteDatabase> reconcile(SqliteDatabase db, Context<SqliteDatabase> context) {
    if (!leadership.mayAct()) {
      return UpdateControl.noUpdate();
    }
    metrics.reconciled();
    SqliteDatabaseStatus previous = db.getStatus();
    // toolbox hook: finished checkpoint, journal and probe pods feed the facts before the verdict
    SqliteDatabase seen = toolbox.withResults(db, context.getClient());
    Assessment assessment = assess(seen);
    SqliteDatabaseStatus status = StatusComposer.compose(assessment, seen.getStatus(), clock.instant());
    // toolbox hook: the checkpoint CronJob, the journal remedy and the probe; their conditions
    status = toolbox.act(assessment, previous, status, clock.instant());
    announce(db, previous, status, assessment);

    var workflow = context.managedWorkflowAndDependentResourceContext();
    workflow.put(Assessment.KEY, assessment);
    workflow.reconcileManagedWorkflow();

    metrics.verdict(ResourceID.fromResource(db), status.getVerdict());
    boolean failed = assessment.decisionError() != null
        || assessment.pin().map(p -> !p.errors().isEmpty()).orElse(false);
    if (failed) {
      metrics.failed();
    }
    if (!leadership.mayAct()) {
      return UpdateControl.noUpdate();
    }
    UpdateControl<SqliteDatabase> control;
    if (status.equals(previous)) {
      control = UpdateControl.noUpdate();
    } else {
      control = statusWriter.write(db, status, context);
    }
    if (!failed) {
      backoff.succeeded(ResourceID.fromResource(db));
    } else if (control.getScheduleDelay().isEmpty()) {
      control.rescheduleAfter(backoff.failed(ResourceID.fromResource(db)));
    }
    return control;
  }

  Assessment assess(SqliteDatabase db) {
    String ns = db.getMetadata().getNamespace();
    Optional<PersistentVolumeClaim> claim = facts.claim(ns, db.getSpec().getClaimName());
    Verdict verdict = null;
    String error = null;
    try {
      verdict = policy.decide(facts, db);
    } catch (RuntimeException e) {
      log.error("the decision core failed on SqliteDatabase {}/{}", ns, db.getMetadata().getName(), e);
      error = "walguard could not decide on this database: " + e;
    }
    Optional<Pinner.Report> pin = Optional.empty();
    // remedy none and paused leave workloads alone, even a pin walguard made earlier that the verdict still counts on.
    boolean handsOff = StatusComposer.paused(db) || StatusComposer.remedy(db) == Remedy.none;
    if (verdict != null && verdict.action() == Action.pin && !handsOff) {
      NodeChoice choice = NodeChoice.choose(db, verdict.placement(), claim);
      pin = Optional.of(pinner.pin(db, verdict.placement(), choice, facts));
      pin.get().outcomes().stream().filter(o -> o.change() != PinPatch.Change.NONE)
          .forEach(o -> metrics.workloadChanged(o.change().name().toLowerCase(java.util.Locale.ROOT)));
      pin.get().outcomes().stream().filter(o -> o.rollout().isPresent())
          .forEach(o -> metrics.workloadChanged("maxsurge"));
    }
    return new Assessment(db, Optional.ofNullable(verdict), error, claim.isPresent(), pin,
        OptInWatcher.fileUnknown(db));
  }

  /** Events for what changed since the last status: the verdict, a missing claim, new errors and notes. */
  private void announce(SqliteDatabase db, SqliteDatabaseStatus previous, SqliteDatabaseStatus status, Assessment a) {
    String before = previous == null ? null : previous.getVerdict();
    List<String> oldReasons = previous == null ? List.of() : previous.getReasons();
    // A first verdict of safe is no news; any other first verdict, and every change, is.
    boolean news = before != null || !Safety.safe.name().equals(status.getVerdict());
    if (news && !Objects.equals(before, status.getVerdict()) && status.getVerdict() != null) {
      String why = a.verdict().map(v -> v.reasons().isEmpty() ? "" : ": " + v.reasons().get(v.reasons().size() - 1))
          .orElse("");
      String text = "verdict " + (before == null ? "none" : before) + " -> " + status.getVerdict() + " (action "
          + status.getAction() + ")" + why;
      if (Safety.safe.name().equals(status.getVerdict())) {
        events.normal(db, "VerdictChanged", text);
      } else {
        events.warning(db, "VerdictChanged", text);
      }
    }
    if (!a.claimFound() && !oldReasons.contains(StatusComposer.claimMissing(db))) {
      events.warning(db, "ClaimNotFound", StatusComposer.claimMissing(db));
    }
    if (a.decisionError() != null && !oldReasons.contains(a.decisionError())) {
      events.warning(db, "DecisionFailed", a.decisionError());
    }
    a.pin().ifPresent(p -> {
      p.errors().stream().filter(e -> !oldReasons.contains(e)).forEach(e -> events.warning(db, "PinFailed", e));
      p.notes().stream().filter(n -> !oldReasons.contains(n)).forEach(n -> events.warning(db, "NotPinnable", n));
    });
  }

  @Override
  public DeleteControl cleanup(SqliteDatabase db, Context<SqliteDatabase> context) {
    if (!leadership.mayAct()) {
      return DeleteControl.noFinalizerRemoval();
    }
    context.managedWorkflowAndDependentResourceContext().cleanupManageWorkflow();
    List<String> unpinErrors = pinner.unpin(db, facts);
    // toolbox hook: delete the CronJob and Jobs, take the app's journal switch out
    List<String> toolboxErrors = toolbox.cleanup(db, facts);
    if (!leadership.mayAct()) {
      // The Lease went while cleaning up: the next leader finishes, and only it may remove the finalizer.
      return DeleteControl.noFinalizerRemoval();
    }
    if (!unpinErrors.isEmpty() || !toolboxErrors.isEmpty()) {
      metrics.failed();
      cleanupFailed(db, unpinErrors, toolboxErrors, context);
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(backoff.failed(ResourceID.fromResource(db)));
    }
    backoff.succeeded(ResourceID.fromResource(db));
    metrics.forget(ResourceID.fromResource(db));
    return DeleteControl.defaultDelete();
  }

  /**
   * A deletion walguard cannot finish shows where a person looks: a Warning Event for each new error and the Ready
   * condition, False with reason {@code CleanupFailed}, saying what is left and why. The status also keeps the retries
   * from repeating an Event.
   */
  private void cleanupFailed(SqliteDatabase db, List<String> unpinErrors, List<String> toolboxErrors,
      Context<SqliteDatabase> context) {
    SqliteDatabaseStatus previous = db.getStatus();
    String before = previous == null ? "" : previous.getConditions().stream()
        .filter(c -> StatusComposer.READY.equals(c.getType()) && "CleanupFailed".equals(c.getReason()))
        .map(io.fabric8.kubernetes.api.model.Condition::getMessage).filter(Objects::nonNull).findFirst().orElse("");
    unpinErrors.stream().filter(e -> !before.contains(e)).forEach(e -> events.warning(db, "UnpinFailed", e));
    toolboxErrors.stream().filter(e -> !before.contains(e)).forEach(e -> events.warning(db, "CleanupFailed", e));
    List<String> errors = new java.util.ArrayList<>(unpinErrors);
    errors.addAll(toolboxErrors);
    log.warn("SqliteDatabase {}/{} keeps its finalizer until walguard can undo its changes: {}",
        db.getMetadata().getNamespace(), db.getMetadata().getName(), errors);
    String message = "the SqliteDatabase is being deleted, and walguard keeps its finalizer until it has undone what"
        + " it did; it retries: " + String.join("; ", errors);
    if (message.equals(before)) {
      return;
    }
    writeReady(db, "CleanupFailed", message, context);
  }

  /** An unexpected failure still shows in status, as Ready False, before JOSDK retries. */
  @Override
  public ErrorStatusUpdateControl<SqliteDatabase> updateErrorStatus(SqliteDatabase db, Context<SqliteDatabase> context,
      Exception e) {
    metrics.failed();
    if (!leadership.mayAct()) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    writeReady(db, "ReconcileError", "walguard failed to reconcile this database and retries: " + e.getMessage(),
        context);
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /** Writes the status with Ready False for this reason, every other condition as it was. */
  private void writeReady(SqliteDatabase db, String reason, String message, Context<SqliteDatabase> context) {
    SqliteDatabaseStatus previous = db.getStatus();
    SqliteDatabaseStatus status = context.getClient().getKubernetesSerialization()
        .clone(previous == null ? new SqliteDatabaseStatus() : previous);
    var ready = new ConditionBuilder().withType(StatusComposer.READY).withStatus("False").withReason(reason)
        .withMessage(message).build();
    var all = new java.util.ArrayList<>(status.getConditions().stream()
        .filter(c -> !StatusComposer.READY.equals(c.getType())).toList());
    all.add(ready);
    status.setConditions(StatusComposer.merge(status.getConditions(), all, db.getMetadata().getGeneration(),
        clock.instant()));
    try {
      statusWriter.write(db, status, context);
    } catch (RuntimeException writeFailed) {
      log.warn("cannot record {} in the status of SqliteDatabase {}/{}: {}", reason, db.getMetadata().getNamespace(),
          db.getMetadata().getName(), writeFailed.getMessage());
    }
  }
}
