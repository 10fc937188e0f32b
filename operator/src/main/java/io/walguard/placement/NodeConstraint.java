package io.walguard.placement;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What keeps every pod of one pod spec on a single node, if anything.
 *
 * <p>The {@code kubernetes.io/hostname} label is taken to name the node: it does on nearly every cluster, and where it
 * does not (some cloud providers), a constraint on it still confines the pods to the one node that carries the value.
 *
 * @param node the node the pods are confined to, or null when they are not confined to a named node
 * @param coLocated whether the pods are confined to one node whose name is not known in advance (a required pod
 *     affinity to their own pods on the hostname topology)
 * @param how which field confines them, in words for reasons
 * @param byNodeAffinity whether the named node comes from a required node affinity (the form walguard's pin takes)
 */
record NodeConstraint(String node, boolean coLocated, String how, boolean byNodeAffinity) {

  static final String HOSTNAME = "kubernetes.io/hostname";
  static final NodeConstraint NONE = new NodeConstraint(null, false, null, false);

  boolean confined() {
    return node != null || coLocated;
  }

  /**
   * The constraint of a pod spec. {@code spec.nodeName} wins over a hostname nodeSelector, which wins over a required
   * node affinity: if they disagree the pods cannot run at all, and the first is where a pod would be admitted.
   */
  static NodeConstraint of(PodSpec spec, Map<String, String> ownLabels, String namespace) {
    if (spec == null) {
      return NONE;
    }
    if (spec.getNodeName() != null && !spec.getNodeName().isEmpty()) {
      return new NodeConstraint(spec.getNodeName(), false, "spec.nodeName " + spec.getNodeName(), false);
    }
    String selected = spec.getNodeSelector() == null ? null : spec.getNodeSelector().get(HOSTNAME);
    if (selected != null && !selected.isEmpty()) {
      return new NodeConstraint(selected, false, "nodeSelector " + HOSTNAME + "=" + selected, false);
    }
    String affine = requiredNodeAffinityNode(spec.getAffinity());
    if (affine != null) {
      return new NodeConstraint(affine, false, "a required node affinity to " + affine, true);
    }
    if (hasSelfPodAffinity(spec.getAffinity(), ownLabels, namespace)) {
      return new NodeConstraint(null, true,
          "a required pod affinity to its own pods on topology " + HOSTNAME, false);
    }
    return NONE;
  }

  /**
   * The one node a required node affinity allows, or null. Terms are ORed, so every term must allow exactly that one
   * node; requirements within a term are ANDed, so a term allows the intersection of its hostname requirements
   * ({@code kubernetes.io/hostname} In, or the field {@code metadata.name} In, as the DaemonSet controller writes it).
   */
  static String requiredNodeAffinityNode(Affinity affinity) {
    if (affinity == null || affinity.getNodeAffinity() == null
        || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return null;
    }
    List<NodeSelectorTerm> terms =
        affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
    if (terms == null || terms.isEmpty()) {
      return null;
    }
    String node = null;
    for (NodeSelectorTerm term : terms) {
      Set<String> allowed = allowedHosts(term);
      if (allowed != null && allowed.isEmpty()) {
        continue; // a term no node satisfies adds nothing to the OR
      }
      if (allowed == null || allowed.size() != 1) {
        return null;
      }
      String only = allowed.iterator().next();
      if (node != null && !node.equals(only)) {
        return null;
      }
      node = only;
    }
    return node;
  }

  /** The hosts one term allows, or null when it does not restrict the host. */
  private static Set<String> allowedHosts(NodeSelectorTerm term) {
    Set<String> allowed = null;
    allowed = intersect(allowed, term.getMatchExpressions(), HOSTNAME);
    allowed = intersect(allowed, term.getMatchFields(), "metadata.name");
    return allowed;
  }

  private static Set<String> intersect(Set<String> allowed, List<NodeSelectorRequirement> requirements, String key) {
    if (requirements == null) {
      return allowed;
    }
    Set<String> result = allowed;
    for (NodeSelectorRequirement r : requirements) {
      if (key.equals(r.getKey()) && "In".equals(r.getOperator()) && r.getValues() != null) {
        Set<String> values = new HashSet<>(r.getValues());
        if (result == null) {
          result = values;
        } else {
          result.retainAll(values);
        }
      }
    }
    return result;
  }

  /**
   * Whether a required pod affinity term on the hostname topology selects the pod's own labels in its own namespace:
   * then every pod lands next to one of its siblings, on one node (the first one may go anywhere).
   */
  private static boolean hasSelfPodAffinity(Affinity affinity, Map<String, String> ownLabels, String namespace) {
    if (affinity == null || affinity.getPodAffinity() == null) {
      return false;
    }
    List<PodAffinityTerm> terms = affinity.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    if (terms == null) {
      return false;
    }
    return terms.stream().anyMatch(t -> HOSTNAME.equals(t.getTopologyKey())
        && t.getLabelSelector() != null
        && !LabelSelectors.selectsEverything(t.getLabelSelector())
        && LabelSelectors.matches(t.getLabelSelector(), ownLabels)
        && t.getNamespaceSelector() == null
        && (t.getNamespaces() == null || t.getNamespaces().isEmpty()
            || t.getNamespaces().stream().allMatch(namespace::equals)));
  }
}
