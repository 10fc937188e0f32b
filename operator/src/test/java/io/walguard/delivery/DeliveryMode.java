package io.walguard.delivery;

/** The ways the chart is installed, as the values a user would pass. */
enum DeliveryMode {
  DEFAULTS(""),
  NAMESPACED("""
      watchNamespaces: [team-a, team-b]
      """),
  CERT_MANAGER("""
      certManager:
        enabled: true
      """),
  ENFORCE_DENY("""
      webhook:
        enforce: deny
      """),
  TWO_REPLICAS("""
      replicas: 2
      """),
  WEBHOOK_OFF("""
      webhook:
        enabled: false
      """);

  final String values;

  DeliveryMode(String values) {
    this.values = values;
  }

  boolean webhook() {
    return this != WEBHOOK_OFF;
  }

  boolean selfManagedCertificate() {
    return webhook() && this != CERT_MANAGER;
  }
}
