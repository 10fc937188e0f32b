package io.walguard.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The JSON patch operations that add, move or remove walguard's pin on one workload, computed from the workload as
 * JSON. Pure: JSON in, operations out; the caller sends them with the object's resourceVersion as a precondition.
 *
 * <p>A required node affinity ORs its {@code nodeSelectorTerms} and ANDs the expressions inside each term. Pinning
 * must hold whichever term the scheduler picks, so walguard adds its hostname expression to every existing term (or
 * adds one term when there is none), and removes exactly that expression again: user terms keep every expression
 * they had, and terms, objects and annotations walguard created disappear with the pin.
 */
final class PinPatch {

  static final String HOSTNAME = "kubernetes.io/hostname";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String AFFINITY = "/affinity";
  private static final String NODE_AFFINITY = AFFINITY + "/nodeAffinity";
  private static final String REQUIRED = NODE_AFFINITY + "/requiredDuringSchedulingIgnoredDuringExecution";
  private static final String TERMS = REQUIRED + "/nodeSelectorTerms";

  /** What a pin patch does to a workload, for status and Events. */
  enum Change {
    /** Already pinned to the node, nothing to send. */
    NONE,
    /** First pin of this workload. */
    PINNED,
    /** Pinned before to another node, now moved. */
    MOVED,
    /** Carried walguard's annotation but the term was edited away: put back. */
    RESTORED,
    /** Already pinned to the node by another SqliteDatabase; this one is recorded next to it. */
    JOINED
  }

  /**
   * The operations for one workload.
   *
   * @param ops the JSON patch operations (without the resourceVersion precondition)
   * @param change what they do
   * @param previousNode the node it was pinned to before, when moved
   * @param rollout the rollout change made with the pin, if any
   */
  record Plan(ArrayNode ops, Change change, String previousNode, Optional<Rollout.Change> rollout) {
    boolean isEmpty() {
      return ops.isEmpty();
    }
  }

  /** What removing a database's pin does. */
  record Removal(ArrayNode ops, boolean termRemoved, String node, boolean rolloutRestored) {
    boolean isEmpty() {
      return ops.isEmpty();
    }
  }

  private PinPatch() {}

  /** Where the pod spec sits in a workload of this kind. */
  static String podSpecPath(String kind) {
    return "CronJob".equals(kind) ? "/spec/jobTemplate/spec/template/spec" : "/spec/template/spec";
  }

  /** The expression walguard adds for a node. */
  static ObjectNode expression(String node) {
    ObjectNode expr = JSON.objectNode();
    expr.put("key", HOSTNAME);
    expr.put("operator", "In");
    expr.putArray("values").add(node);
    return expr;
  }

  static boolean isExpressionFor(JsonNode expr, String node) {
    return expr.isObject() && HOSTNAME.equals(expr.path("key").asText(null))
        && "In".equals(expr.path("operator").asText(null)) && expr.path("values").isArray()
        && expr.path("values").size() == 1 && node.equals(expr.path("values").get(0).asText());
  }

  /** The databases recorded in {@link PinAnnotations#PINNED_BY}. */
  static Set<String> pinnedBy(JsonNode workload) {
    String value = annotation(workload, PinAnnotations.PINNED_BY);
    if (value == null || value.isBlank()) {
      return new LinkedHashSet<>();
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  /**
   * The node to pin {@code workload} to for {@code database} when walguard chose {@code chosen} by itself (not from
   * spec.node): the node walguard already pinned it to for that database, as the server has the workload now, else
   * {@code chosen}. Only spec.node moves a pin: a choice made from caches that lag behind (a pod's deletion seen
   * before the workload's pin) must not send the workload's pods to another node.
   */
  static String kept(JsonNode workload, String database, String chosen) {
    String previous = annotation(workload, PinAnnotations.PINNED_NODE);
    return previous != null && pinnedBy(workload).contains(database) ? previous : chosen;
  }

  static String annotation(JsonNode workload, String key) {
    JsonNode value = workload.path("metadata").path("annotations").path(key);
    return value.isTextual() ? value.asText() : null;
  }

  /**
   * Pins the workload's pod template to {@code node} for {@code database}.
   *
   * @param guardRollout whether a single-replica RollingUpdate Deployment should get {@code maxSurge: 0}
   */
  static Plan pin(JsonNode workload, String kind, String node, String database, boolean guardRollout) {
    String base = podSpecPath(kind);
    JsonNode podSpec = workload.at(base);
    if (!podSpec.isObject()) {
      throw new IllegalArgumentException(kind + "/" + workload.path("metadata").path("name").asText()
          + " has no pod template at " + base);
    }
    ArrayNode ops = JSON.arrayNode();
    String previous = annotation(workload, PinAnnotations.PINNED_NODE);
    Set<String> staleNodes = previous == null || previous.equals(node) ? Set.of() : Set.of(previous);
    boolean termsChanged = affinityOps(podSpec, base, node, staleNodes, ops);

    Set<String> by = pinnedBy(workload);
    boolean newDatabase = by.add(database);
    List<String[]> annotations = new ArrayList<>();
    annotations.add(new String[] {PinAnnotations.PINNED_NODE, node});
    annotations.add(new String[] {PinAnnotations.PINNED_BY, String.join(",", by)});
    Optional<Rollout.Change> rollout = Optional.empty();
    if (guardRollout && "Deployment".equals(kind)) {
      Optional<Rollout.Guard> guard = Rollout.guard(workload, ops);
      rollout = guard.map(Rollout.Guard::change);
      // The first saved strategy is the user's: a later re-guard must not overwrite it with walguard's own.
      if (guard.isPresent() && annotation(workload, PinAnnotations.ROLLOUT_BEFORE_PIN) == null) {
        annotations.add(new String[] {PinAnnotations.ROLLOUT_BEFORE_PIN, guard.get().annotationValue()});
      }
    }
    setAnnotations(workload, ops, annotations);

    Change change;
    if (previous == null) {
      change = Change.PINNED;
    } else if (!previous.equals(node)) {
      change = Change.MOVED;
    } else if (termsChanged) {
      change = Change.RESTORED;
    } else if (newDatabase) {
      change = Change.JOINED;
    } else {
      change = ops.isEmpty() ? Change.NONE : Change.RESTORED;
    }
    return new Plan(ops, change, staleNodes.isEmpty() ? null : previous, rollout);
  }

  /** Adds the hostname expression to every term (moving a stale one), or creates the term. True when terms change. */
  private static boolean affinityOps(JsonNode podSpec, String base, String node, Set<String> staleNodes,
      ArrayNode ops) {
    ObjectNode term = JSON.objectNode();
    term.putArray("matchExpressions").add(expression(node));
    ArrayNode newTerms = JSON.arrayNode().add(term);
    ObjectNode required = JSON.objectNode().set("nodeSelectorTerms", newTerms);
    ObjectNode nodeAffinity = JSON.objectNode().set("requiredDuringSchedulingIgnoredDuringExecution", required);

    if (!podSpec.path("affinity").isObject()) {
      add(ops, base + AFFINITY, JSON.objectNode().set("nodeAffinity", nodeAffinity));
      return true;
    }
    if (!podSpec.at(NODE_AFFINITY).isObject()) {
      add(ops, base + NODE_AFFINITY, nodeAffinity);
      return true;
    }
    if (!podSpec.at(REQUIRED).isObject()) {
      add(ops, base + REQUIRED, required);
      return true;
    }
    JsonNode terms = podSpec.at(TERMS);
    if (!terms.isArray()) {
      add(ops, base + TERMS, newTerms);
      return true;
    }
    if (terms.isEmpty()) {
      add(ops, base + TERMS + "/-", term);
      return true;
    }
    boolean changed = false;
    for (int i = 0; i < terms.size(); i++) {
      String termPath = base + TERMS + "/" + i;
      JsonNode exprs = terms.get(i).path("matchExpressions");
      if (!exprs.isArray()) {
        add(ops, termPath + "/matchExpressions", JSON.arrayNode().add(expression(node)));
        changed = true;
        continue;
      }
      boolean has = false;
      List<Integer> stale = new ArrayList<>();
      for (int j = 0; j < exprs.size(); j++) {
        JsonNode expr = exprs.get(j);
        if (isExpressionFor(expr, node)) {
          has = true;
        } else if (staleNodes.stream().anyMatch(n -> isExpressionFor(expr, n))) {
          stale.add(j);
        }
      }
      if (!has && !stale.isEmpty()) {
        // Move in place: the expression keeps its position, so the term reads as before with the new node.
        replace(ops, termPath + "/matchExpressions/" + stale.get(0), expression(node));
        for (int k = stale.size() - 1; k >= 1; k--) {
          remove(ops, termPath + "/matchExpressions/" + stale.get(k));
        }
        changed = true;
      } else {
        for (int k = stale.size() - 1; k >= 0; k--) {
          remove(ops, termPath + "/matchExpressions/" + stale.get(k));
          changed = true;
        }
        if (!has) {
          add(ops, termPath + "/matchExpressions/-", expression(node));
          changed = true;
        }
      }
    }
    return changed;
  }

  /**
   * Removes {@code database}'s pin: when another database still asks for it only the bookkeeping changes; otherwise
   * the hostname expression, whatever walguard created to hold it, its annotations, and the rollout change go.
   */
  static Removal unpin(JsonNode workload, String kind, String database) {
    ArrayNode ops = JSON.arrayNode();
    Set<String> by = pinnedBy(workload);
    String node = annotation(workload, PinAnnotations.PINNED_NODE);
    if (!by.remove(database)) {
      return new Removal(ops, false, node, false);
    }
    if (!by.isEmpty()) {
      setAnnotations(workload, ops, List.<String[]>of(new String[] {PinAnnotations.PINNED_BY, String.join(",", by)}));
      return new Removal(ops, false, node, false);
    }
    boolean termRemoved = node != null && removeExpressionOps(workload.at(podSpecPath(kind)), podSpecPath(kind),
        node, ops);
    boolean restored = "Deployment".equals(kind) && Rollout.restore(workload, ops);
    removeAnnotations(workload, ops,
        List.of(PinAnnotations.PINNED_NODE, PinAnnotations.PINNED_BY, PinAnnotations.ROLLOUT_BEFORE_PIN));
    return new Removal(ops, termRemoved, node, restored);
  }

  private static boolean removeExpressionOps(JsonNode podSpec, String base, String node, ArrayNode ops) {
    JsonNode terms = podSpec.at(TERMS);
    if (!terms.isArray()) {
      return false;
    }
    boolean removedAny = false;
    int termsLeft = terms.size();
    for (int i = terms.size() - 1; i >= 0; i--) {
      String termPath = base + TERMS + "/" + i;
      JsonNode term = terms.get(i);
      JsonNode exprs = term.path("matchExpressions");
      if (!exprs.isArray()) {
        continue;
      }
      List<Integer> ours = new ArrayList<>();
      for (int j = 0; j < exprs.size(); j++) {
        if (isExpressionFor(exprs.get(j), node)) {
          ours.add(j);
        }
      }
      if (ours.isEmpty()) {
        continue;
      }
      removedAny = true;
      boolean onlyOurs = ours.size() == exprs.size();
      boolean otherFields = hasContentBesides(term, "matchExpressions");
      if (onlyOurs && !otherFields) {
        remove(ops, termPath);
        termsLeft--;
      } else if (onlyOurs) {
        remove(ops, termPath + "/matchExpressions");
      } else {
        for (int k = ours.size() - 1; k >= 0; k--) {
          remove(ops, termPath + "/matchExpressions/" + ours.get(k));
        }
      }
    }
    if (removedAny && termsLeft == 0) {
      // Nothing of the user's is left in the required affinity: drop what held walguard's term, up to the
      // first object that still carries something else.
      JsonNode required = podSpec.at(REQUIRED);
      JsonNode nodeAffinity = podSpec.at(NODE_AFFINITY);
      JsonNode affinity = podSpec.path("affinity");
      if (hasContentBesides(required, "nodeSelectorTerms")) {
        remove(ops, base + TERMS);
      } else if (hasContentBesides(nodeAffinity, "requiredDuringSchedulingIgnoredDuringExecution")) {
        remove(ops, base + REQUIRED);
      } else if (hasContentBesides(affinity, "nodeAffinity")) {
        remove(ops, base + NODE_AFFINITY);
      } else {
        remove(ops, base + AFFINITY);
      }
    }
    return removedAny;
  }

  private static boolean hasContentBesides(JsonNode object, String field) {
    var names = object.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      JsonNode value = object.get(name);
      boolean empty = value == null || value.isNull() || (value.isContainerNode() && value.isEmpty());
      if (!name.equals(field) && !empty) {
        return true;
      }
    }
    return false;
  }

  /**
   * Sets walguard's annotations one key at a time. The map is created whole only when the workload has none: plan
   * against the live object (not a pruned cache copy, which lacks the last-applied annotation), or that would drop
   * annotations the plan cannot see.
   */
  static void setAnnotations(JsonNode workload, ArrayNode ops, List<String[]> entries) {
    JsonNode annotations = workload.path("metadata").path("annotations");
    if (!annotations.isObject()) {
      ObjectNode all = JSON.objectNode();
      entries.forEach(e -> all.put(e[0], e[1]));
      add(ops, "/metadata/annotations", all);
      return;
    }
    for (String[] e : entries) {
      if (!e[1].equals(annotations.path(e[0]).asText(null))) {
        add(ops, "/metadata/annotations/" + escape(e[0]), JSON.textNode(e[1]));
      }
    }
  }

  /**
   * Removes walguard's annotations one key at a time, never the map: even when the plan sees only walguard's keys,
   * the object may hold others the plan was not shown (kubectl's last-applied configuration above all).
   */
  static void removeAnnotations(JsonNode workload, ArrayNode ops, List<String> keys) {
    JsonNode annotations = workload.path("metadata").path("annotations");
    if (!annotations.isObject()) {
      return;
    }
    keys.stream().filter(annotations::has).forEach(k -> remove(ops, "/metadata/annotations/" + escape(k)));
  }

  /** JSON pointer escaping (RFC 6901) of one path segment. */
  static String escape(String segment) {
    return segment.replace("~", "~0").replace("/", "~1");
  }

  static void add(ArrayNode ops, String path, JsonNode value) {
    ops.addObject().put("op", "add").put("path", path).set("value", value);
  }

  static void replace(ArrayNode ops, String path, JsonNode value) {
    ops.addObject().put("op", "replace").put("path", path).set("value", value);
  }

  static void remove(ArrayNode ops, String path) {
    ops.addObject().put("op", "remove").put("path", path);
  }
}
