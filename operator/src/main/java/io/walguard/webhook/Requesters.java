package io.walguard.webhook;

import java.util.Objects;

/**
 * Who sends an admission request, as far as walguard trusts it: walguard itself (its remedies and toolbox objects
 * must never be refused by its own webhook), and Kubernetes' own controllers, whose changes (binding a claim,
 * scaling for an autoscaler, creating a controller's pods) must never be blocked: refusing them would not stop the
 * user's change, only leave the cluster half-way through it. Both get warnings instead of refusals.
 *
 * <p>Usernames are {@code request.userInfo.username} as the API server writes it.
 */
public final class Requesters {

  private final String walguard;

  /** @param walguardUsername walguard's own, {@code system:serviceaccount:<namespace>:<service account>} */
  public Requesters(String walguardUsername) {
    this.walguard = Objects.requireNonNull(walguardUsername);
  }

  /** The username of a service account, as the API server writes it. */
  public static String serviceAccountUsername(String namespace, String serviceAccount) {
    return "system:serviceaccount:" + namespace + ":" + serviceAccount;
  }

  /** Whether walguard itself sent the request. */
  public boolean isWalguard(String username) {
    return walguard.equals(username);
  }

  /**
   * Whether one of Kubernetes' own controllers sent it: a service account of kube-system (what the
   * controller-manager uses with {@code --use-service-account-credentials}, e.g.
   * {@code persistent-volume-binder}, {@code horizontal-pod-autoscaler}), the controller-manager's own identity, or
   * a kubelet.
   */
  public static boolean isKubernetesController(String username) {
    return username != null && (username.startsWith("system:serviceaccount:kube-system:")
        || "system:kube-controller-manager".equals(username)
        || username.startsWith("system:node:"));
  }

  /** Whether a refusal must become a warning for this requester. */
  public boolean neverRefused(String username) {
    return isWalguard(username) || isKubernetesController(username);
  }
}
