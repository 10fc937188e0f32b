package io.walguard.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The chart grants the operator exactly the permissions it uses, in the right scope, and binds them to it. */
class ChartRbacTest {

  /** One line of operator-permissions.yaml. */
  record Permission(String scope, String group, List<String> resources, List<String> names, List<String> verbs,
      String when) {}

  static final List<Permission> PERMISSIONS = readPermissions();

  @ParameterizedTest
  @EnumSource(DeliveryMode.class)
  void rolesGrantExactlyWhatTheOperatorUses(DeliveryMode mode) {
    ChartRender chart = ChartRender.of(mode);
    Set<String> granted = new TreeSet<>();
    for (ClusterRole role : chart.all(ClusterRole.class)) {
      granted.addAll(grants("ClusterRole", role.getRules()));
    }
    for (Role role : chart.all(Role.class)) {
      granted.addAll(grants("Role@" + role.getMetadata().getNamespace(), role.getRules()));
    }
    assertThat(granted).containsExactlyElementsOf(expected(mode));
  }

  @ParameterizedTest
  @EnumSource(DeliveryMode.class)
  void noRuleUsesAWildcard(DeliveryMode mode) {
    ChartRender chart = ChartRender.of(mode);
    List<PolicyRule> rules = new java.util.ArrayList<>();
    chart.all(ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
    chart.all(Role.class).forEach(r -> rules.addAll(r.getRules()));
    assertThat(rules).isNotEmpty().allSatisfy(rule -> {
      assertThat(rule.getApiGroups()).doesNotContain("*");
      assertThat(rule.getResources()).noneMatch(r -> r.contains("*"));
      assertThat(rule.getVerbs()).doesNotContain("*");
      assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
    });
  }

  @ParameterizedTest
  @EnumSource(DeliveryMode.class)
  void everyRoleIsBoundToTheOperatorServiceAccountOnly(DeliveryMode mode) {
    ChartRender chart = ChartRender.of(mode);
    Subject operator = new Subject(null, "ServiceAccount", "walguard", ChartRender.NAMESPACE);
    for (ClusterRole role : chart.all(ClusterRole.class)) {
      List<ClusterRoleBinding> bindings = chart.all(ClusterRoleBinding.class).stream()
          .filter(b -> b.getRoleRef().equals(roleRef("ClusterRole", role.getMetadata().getName())))
          .toList();
      assertThat(bindings).as("bindings of ClusterRole %s", role.getMetadata().getName()).singleElement()
          .satisfies(b -> assertThat(b.getSubjects()).containsExactly(operator));
    }
    for (Role role : chart.all(Role.class)) {
      List<RoleBinding> bindings = chart.all(RoleBinding.class).stream()
          .filter(b -> b.getMetadata().getNamespace().equals(role.getMetadata().getNamespace()))
          .filter(b -> b.getRoleRef().equals(roleRef("Role", role.getMetadata().getName())))
          .toList();
      assertThat(bindings).as("bindings of Role %s/%s", role.getMetadata().getNamespace(), role.getMetadata().getName())
          .singleElement()
          .satisfies(b -> assertThat(b.getSubjects()).containsExactly(operator));
    }
    assertThat(chart.all(ClusterRoleBinding.class)).hasSize(chart.all(ClusterRole.class).size());
    assertThat(chart.all(RoleBinding.class)).hasSize(chart.all(Role.class).size());
  }

  /** What the chart must grant in this mode, in the same "where group/resource[name] verb" form as {@link #grants}. */
  static Set<String> expected(DeliveryMode mode) {
    List<String> watched = mode == DeliveryMode.NAMESPACED
        ? List.of("Role@team-a", "Role@team-b")
        : List.of("ClusterRole");
    Set<String> expected = new TreeSet<>();
    for (Permission p : PERMISSIONS) {
      if ("webhook".equals(p.when()) && !mode.webhook()
          || "selfCert".equals(p.when()) && !mode.selfManagedCertificate()) {
        continue;
      }
      List<String> where = switch (p.scope()) {
        case "watched" -> watched;
        case "cluster" -> List.of("ClusterRole");
        case "self" -> List.of("Role@" + ChartRender.NAMESPACE);
        default -> throw new IllegalArgumentException("unknown scope " + p.scope());
      };
      for (String w : where) {
        expected.addAll(grants(w, List.of(new PolicyRule(List.of(p.group()), List.of(), p.names(), p.resources(),
            p.verbs()))));
      }
    }
    return expected;
  }

  static Set<String> grants(String where, List<PolicyRule> rules) {
    Set<String> grants = new TreeSet<>();
    for (PolicyRule rule : rules) {
      List<String> names = rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
          ? List.of("")
          : rule.getResourceNames();
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String name : names) {
            for (String verb : rule.getVerbs()) {
              grants.add(where + " " + (group.isEmpty() ? "core" : group) + "/" + resource
                  + (name.isEmpty() ? "" : "[" + name + "]") + " " + verb);
            }
          }
        }
      }
    }
    return grants;
  }

  static RoleRef roleRef(String kind, String name) {
    return new RoleRef("rbac.authorization.k8s.io", kind, name);
  }

  static List<Permission> readPermissions() {
    try (InputStream in = ChartRbacTest.class.getResourceAsStream("operator-permissions.yaml")) {
      return new ObjectMapper(new YAMLFactory()).readValue(in, new TypeReference<List<Permission>>() {});
    } catch (IOException e) {
      throw new IllegalStateException("cannot read operator-permissions.yaml", e);
    }
  }
}
