package io.walguard.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseSpec.Remedy;
import io.walguard.core.Action;
import io.walguard.core.Annotations;
import io.walguard.core.Facts;
import io.walguard.core.Policy;
import io.walguard.core.Safety;
import io.walguard.core.Verdict;
import io.walguard.storage.StorageKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The webhook's door onto the decision core: lays the admitted object over the caches, finds the databases it
 * concerns, asks {@link Policy#decide} about each, and turns the verdicts into warnings or, in deny mode, a refusal.
 * It never decides safety itself.
 *
 * <ul>
 *   <li>Unsafe: a warning; refused where the namespace says {@code walguard.io/enforce: deny}, unless the object
 *       carries {@code walguard.io/allow-unsafe} (then a warning and an Event), or it is an UPDATE that does not
 *       make a safe database unsafe.</li>
 *   <li>Unknown: a warning, never a refusal.</li>
 *   <li>A SqliteDatabase is never refused for being unsafe (it is how walguard fixes it), only for asking for a
 *       remedy that cannot be carried out; on UPDATE only when the change is what asks for it.</li>
 *   <li>Nothing is refused to walguard's own service account or to Kubernetes' controllers ({@link Requesters}),
 *       nor once the object is being deleted.</li>
 * </ul>
 */
public final class SqliteAdmission {

  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  /** Compares SqliteDatabase specs, which have no equals of their own, as JSON. */
  private static final ObjectMapper SPECS = new ObjectMapper();
  /**
   * Each database costs a verdict, and a verdict reads every opener in the namespace: an object that mounts
   * thousands of claims must not hold a worker for minutes. Real workloads mount a handful.
   */
  static final int MAX_DATABASES = 32;

  private final Supplier<? extends Facts> facts;
  private final Policy policy;
  private final NamespaceLabels namespaces;
  private final EnforceMode defaultMode;
  private final Requesters requesters;

  /**
   * @param facts the operator's caches (called once per judged request)
   * @param policy the decision core, with the same driver table as the reconciler
   * @param namespaces namespace labels, for the enforce mode
   * @param defaultMode the mode of namespaces without the label
   * @param requesters whose changes are never refused: walguard's own service account, Kubernetes' controllers
   */
  public SqliteAdmission(Supplier<? extends Facts> facts, Policy policy, NamespaceLabels namespaces,
      EnforceMode defaultMode, Requesters requesters) {
    this.facts = Objects.requireNonNull(facts);
    this.policy = Objects.requireNonNull(policy);
    this.namespaces = Objects.requireNonNull(namespaces);
    this.defaultMode = Objects.requireNonNull(defaultMode);
    this.requesters = Objects.requireNonNull(requesters);
  }

  record Finding(SqliteDatabase database, Verdict verdict) {
    String claim() {
      return database.getSpec().getClaimName();
    }
  }

  public AdmissionDecision judge(Admission request) {
    if (!request.createOrUpdate() || request.object() == null) {
      return AdmissionDecision.allow();
    }
    Facts cached = facts.get();
    Admission admission = request;
    if (request.object() instanceof Scale scale) {
      Optional<Admission> update = ScaleRequests.asWorkloadUpdate(request, scale, cached);
      if (update.isEmpty()) {
        return AdmissionDecision.allow();
      }
      admission = update.get();
    }
    HasMetadata object = admission.object();
    if (object.getMetadata().getDeletionTimestamp() != null) {
      // on its way out: the update removes finalizers, it opens nothing new, and a refusal would hang the deletion
      return AdmissionDecision.allow();
    }
    if (walguardsOwn(admission) || Mounts.madeByJudgedController(object)) {
      // objects of controllers were judged with their controller
      return AdmissionDecision.allow();
    }
    if (blank(object.getMetadata().getName())) {
      // a CREATE with generateName has no name yet; the core names openers, so give it the one warnings show
      object.getMetadata().setName(admission.name());
    }
    String namespace = Objects.requireNonNullElse(object.getMetadata().getNamespace(), admission.namespace());
    if (object instanceof SqliteDatabase db && (db.getSpec() == null || blank(db.getSpec().getClaimName()))) {
      return AdmissionDecision.deny("SqliteDatabase " + WarningText.nameOf(db)
          + ": spec.claimName is required: name the PersistentVolumeClaim that holds the database file", List.of());
    }
    Facts after = new OverlayFacts(cached, object);
    DatabaseFinder.Found found = DatabaseFinder.find(after, object, namespace, policy.apps(), MAX_DATABASES);
    if (found.databases().isEmpty()) {
      return AdmissionDecision.allow();
    }
    List<Finding> findings = new ArrayList<>(found.databases().size());
    for (SqliteDatabase db : found.databases()) {
      findings.add(new Finding(db, policy.decide(after, db)));
    }
    if (object instanceof SqliteDatabase db) {
      return judgeDatabase(admission, db, findings.get(0), cached);
    }
    AdmissionDecision decision = judgeOpener(admission, namespace, cached, findings);
    if (!found.more()) {
      return decision;
    }
    List<String> warnings = new ArrayList<>(decision.warnings());
    warnings.add(WarningText.tooMany(admission.kind(), admission.name(), MAX_DATABASES));
    return new AdmissionDecision(decision.allowed(), warnings, decision.message(), decision.overrideEvent());
  }

  /**
   * walguard's own checkpoint CronJob and journal and probe Jobs mount the claim on purpose. The label alone proves
   * nothing (anyone can write it): it counts only on a request from walguard's service account.
   */
  private boolean walguardsOwn(Admission admission) {
    return "walguard".equals(Mounts.label(admission.object().getMetadata(), MANAGED_BY))
        && requesters.isWalguard(admission.username());
  }

  private AdmissionDecision judgeOpener(Admission admission, String namespace, Facts cached, List<Finding> findings) {
    List<Finding> notSafe = findings.stream().filter(f -> f.verdict().safety() != Safety.safe).toList();
    if (notSafe.isEmpty()) {
      return AdmissionDecision.allow();
    }
    List<String> warnings = new ArrayList<>(warnings(admission, notSafe));
    List<Finding> unsafe = notSafe.stream().filter(f -> f.verdict().safety() == Safety.unsafe).toList();
    if (unsafe.isEmpty()) {
      return AdmissionDecision.allow(warnings);
    }
    String override = Mounts.annotation(admission.object().getMetadata(), Annotations.ALLOW_UNSAFE);
    if (override != null) {
      Facts before = before(admission, cached);
      boolean wasOverridden = before != null && sameOverride(admission, override)
          && unsafe.stream().allMatch(f -> policy.decide(before, f.database()).safety() == Safety.unsafe);
      return overridden(admission, warnings, override, unsafe, !wasOverridden);
    }
    if (modeOf(namespace) == EnforceMode.warn || requesters.neverRefused(admission.username())) {
      return AdmissionDecision.allow(warnings);
    }
    if ("UPDATE".equals(admission.operation()) && !madeUnsafe(admission, cached, unsafe)) {
      return AdmissionDecision.allow(warnings);
    }
    return AdmissionDecision.deny(denial(admission, namespace, unsafe), warnings);
  }

  private AdmissionDecision judgeDatabase(Admission admission, SqliteDatabase db, Finding finding, Facts cached) {
    Verdict v = finding.verdict();
    List<String> warnings = v.safety() == Safety.safe ? List.of() : warnings(admission, List.of(finding));
    if (!remedyImpossible(db, v)) {
      return AdmissionDecision.allow(warnings);
    }
    String override = Mounts.annotation(db.getMetadata(), Annotations.ALLOW_UNSAFE);
    if (override != null) {
      SqliteDatabase old = "UPDATE".equals(admission.operation()) ? oldDatabase(admission, db, cached) : null;
      boolean wasOverridden = old != null && old.getSpec() != null && sameOverride(admission, override)
          && remedyImpossible(old, policy.decide(new OverlayFacts(cached, old), old));
      return overridden(admission, new ArrayList<>(warnings), override, List.of(finding), !wasOverridden);
    }
    if (requesters.neverRefused(admission.username())
        || ("UPDATE".equals(admission.operation()) && !asksForTheImpossibleNow(admission, db, cached))) {
      return AdmissionDecision.allow(warnings);
    }
    Remedy remedy = remedyOf(db);
    return AdmissionDecision.deny("SqliteDatabase " + WarningText.nameOf(db) + " asks for remedy " + remedy
        + ", which cannot be carried out on claim " + finding.claim() + ": " + String.join("; ", v.reasons())
        + ". Change spec.remedy (auto picks what can be done), or change the workloads that mount the claim", warnings);
  }

  /**
   * Whether a spec asks for a remedy that cannot be carried out: pin or journal on network storage where the core
   * can only observe. Only on network storage is the remedy the spec's to choose; FUSE is unsafe whatever it says,
   * and a paused database only reports.
   */
  private static boolean remedyImpossible(SqliteDatabase db, Verdict v) {
    Remedy remedy = remedyOf(db);
    boolean paused = "true".equalsIgnoreCase(Mounts.annotation(db.getMetadata(), Annotations.PAUSED));
    return (remedy == Remedy.pin || remedy == Remedy.journal) && !paused
        && v.storage().kind() == StorageKind.network && v.safety() == Safety.unsafe && v.action() == Action.observe;
  }

  private static Remedy remedyOf(SqliteDatabase db) {
    return db.getSpec().getRemedy() == null ? Remedy.auto : db.getSpec().getRemedy();
  }

  /**
   * For an UPDATE of a SqliteDatabase whose remedy cannot be carried out: whether this change is what asks for it,
   * a spec that changed, or a change (un-pausing, say) of a database whose remedy could be carried out before. A
   * label, an annotation or a finalizer on a database that was already in that state (a DaemonSet came to mount its
   * claim after it was admitted) must pass, or the database could be neither edited nor deleted.
   */
  private boolean asksForTheImpossibleNow(Admission admission, SqliteDatabase db, Facts cached) {
    SqliteDatabase old = oldDatabase(admission, db, cached);
    if (old == null || old.getSpec() == null
        || !SPECS.valueToTree(old.getSpec()).equals(SPECS.valueToTree(db.getSpec()))) {
      return true;
    }
    return !remedyImpossible(old, policy.decide(new OverlayFacts(cached, old), old));
  }

  /** The database before the update: the request's old object, else the cached one. */
  private static SqliteDatabase oldDatabase(Admission admission, SqliteDatabase db, Facts cached) {
    if (admission.oldObject() instanceof SqliteDatabase old) {
      return old;
    }
    String namespace = db.getMetadata().getNamespace();
    return cached.databases(namespace).stream()
        .filter(d -> d.getMetadata() != null && Objects.equals(d.getMetadata().getName(), db.getMetadata().getName()))
        .findFirst().orElse(null);
  }

  /**
   * An object let in by {@code walguard.io/allow-unsafe}: a warning on every request (kubectl shows it each time),
   * and an Event only when the override is news, so that an image bump of an object let in before, or a
   * controller's routine update, does not add an Event each time.
   *
   * @param news a CREATE, or an UPDATE that changes the reason or makes unsafe what was not
   */
  private AdmissionDecision overridden(Admission admission, List<String> warnings, String reason,
      List<Finding> unsafe, boolean news) {
    String name = admission.name();
    warnings.add(WarningText.overridden(admission.kind(), name, reason.isBlank() ? "(no reason given)" : reason));
    if (!news) {
      return AdmissionDecision.allow(warnings);
    }
    String event = "Admitted although SQLite is unsafe here, because of walguard.io/allow-unsafe: "
        + (reason.isBlank() ? "(no reason given)" : Text.clean(reason, 300)) + ". " + summary(unsafe);
    return AdmissionDecision.overridden(warnings, Text.clean(event, 1000));
  }

  /** Whether the old object (an UPDATE's) carried the same override reason. */
  private static boolean sameOverride(Admission admission, String reason) {
    HasMetadata old = admission.oldObject();
    return old != null && Objects.equals(Mounts.annotation(old.getMetadata(), Annotations.ALLOW_UNSAFE), reason);
  }

  /** The caches as they were before an UPDATE (its old object laid over them), or null for a CREATE. */
  private static Facts before(Admission admission, Facts cached) {
    if (!"UPDATE".equals(admission.operation())) {
      return null;
    }
    return admission.oldObject() == null ? cached : new OverlayFacts(cached, admission.oldObject());
  }

  /**
   * Whether an UPDATE is what makes a database unsafe: one that was safe before it. An update of an object that was
   * unsafe (or of unknown storage) before, a relabel, an image bump, the PV controller binding the claim, is not
   * refused: refusing it would not make anything safe, only block the change.
   */
  private boolean madeUnsafe(Admission admission, Facts cached, List<Finding> unsafe) {
    Facts before = before(admission, cached);
    return unsafe.stream().anyMatch(f -> policy.decide(before, f.database()).safety() == Safety.safe);
  }

  private EnforceMode modeOf(String namespace) {
    String label = namespaces.of(namespace).get(Annotations.ENFORCE);
    return EnforceMode.parse(label).orElse(defaultMode);
  }

  private static List<String> warnings(Admission admission, List<Finding> findings) {
    String name = admission.name();
    return findings.stream().map(f -> WarningText.finding(admission.kind(), name, f.claim(), f.verdict()))
        .distinct().toList();
  }

  private static String denial(Admission admission, String namespace, List<Finding> unsafe) {
    return "walguard refuses " + admission.subject() + ": " + summary(unsafe) + " Namespace " + namespace
        + " enforces walguard.io/enforce=deny; to admit it anyway, annotate the " + admission.kind()
        + " walguard.io/allow-unsafe: \"<reason>\"";
  }

  /** Each unsafe database with the core's reasons and the change that makes it safe. */
  private static String summary(List<Finding> unsafe) {
    StringBuilder b = new StringBuilder();
    for (Finding f : unsafe) {
      b.append("SQLite database ").append(f.database().getMetadata().getName())
          .append(" on claim ").append(f.claim()).append(" is unsafe: ")
          .append(String.join("; ", f.verdict().reasons()))
          .append(". To fix: ").append(longFix(f)).append(". ");
    }
    return b.toString().trim();
  }

  private static String longFix(Finding f) {
    Verdict v = f.verdict();
    String pin = "keep every pod that mounts " + f.claim() + " on one node (one replica with strategy Recreate,"
        + " or a required node affinity to one kubernetes.io/hostname)";
    String journal = "switch the database to a rollback journal (journal_mode=DELETE), e.g. with a SqliteDatabase"
        + " for claim " + f.claim() + " and remedy journal";
    return switch (v.storage().kind()) {
      case fuse -> "move the database to a block volume: FUSE storage is not safe for SQLite in any journal mode";
      case network -> switch (v.action()) {
        case pin -> pin;
        case journal -> journal;
        default -> v.placement() != null && v.placement().allPinnable() ? pin + ", or " + journal
            : v.storage().nodeLocalLocks() ? "run a single opener, or move the database to a block volume"
            : journal;
      };
      default -> "see the reasons above";
    };
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
