package io.walguard.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookBuilder;
import io.walguard.core.InMemoryFacts;
import io.walguard.webhook.tls.Certificates;
import io.walguard.webhook.tls.Pem;
import io.walguard.webhook.tls.SelfManagedTls;
import io.walguard.webhook.tls.ServingIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chain the API server checks, over real HTTPS, with the Secret and caBundle on the mock API server. */
class WebhookTlsTest {

  /** A review of a kind walguard does not judge: always allowed, so these tests need no decision core. */
  static final String UNJUDGED = """
      {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u-1",
       "kind":{"group":"","version":"v1","kind":"ConfigMap"},"operation":"CREATE","namespace":"apps",
       "object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}}}""";

  private final List<AutoCloseable> closeLast = new ArrayList<>();
  private MockCluster cluster;

  @BeforeEach
  void cluster() {
    cluster = new MockCluster();
    closeLast.add(cluster);
  }

  @AfterEach
  void close() throws Exception {
    for (int i = closeLast.size() - 1; i >= 0; i--) {
      closeLast.get(i).close();
    }
  }

  private WebhookServer start(MovableClock clock) throws Exception {
    WebhookServer server = WebhookServer.builder(MockCluster.config())
        .facts(() -> new InMemoryFacts("default"))
        .kubernetes(cluster.client)
        .certificateClock(clock, SelfManagedTls.Lifetimes.DEFAULT)
        .start();
    closeLast.add(server);
    return server;
  }

  private WebhookServer start() throws Exception {
    return start(new MovableClock(Instant.now()));
  }

  private Secret secret() {
    return cluster.client.secrets().inNamespace(MockCluster.NAMESPACE).withName("walguard-webhook-tls").get();
  }

  private static String data(Secret s, String key) {
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
  }

  @Test
  void caBundleVerifiesTheServedCertificateForEveryServiceName() throws Exception {
    cluster.installWebhookConfiguration();
    WebhookServer server = start();

    String caBundle = cluster.caBundle();
    assertThat(caBundle).isEqualTo(data(secret(), "ca.crt"));
    List<X509Certificate> bundle = Pem.readCertificates(caBundle);
    assertThat(bundle).allSatisfy(c -> assertThat(c.getBasicConstraints()).as("only CAs in the caBundle")
        .isGreaterThanOrEqualTo(0));
    for (String name : List.of(MockCluster.SERVICE_HOST, MockCluster.SERVICE_HOST + ".cluster.local",
        "walguard-webhook")) {
      var response = new ApiServerClient(caBundle, name, server.port()).review(UNJUDGED);
      assertThat(response.statusCode()).as(name).isEqualTo(200);
      X509Certificate served = ApiServerClient.servedCertificate(response);
      assertThat(bundle).doesNotContain(served);
      assertThat(served).isEqualTo(Pem.readCertificates(data(secret(), "tls.crt")).get(0));
    }
  }

  @Test
  void aClientExpectingAnotherNameOrTrustingAnotherCaIsRefused() throws Exception {
    cluster.installWebhookConfiguration();
    WebhookServer server = start();
    String caBundle = cluster.caBundle();

    assertThatThrownBy(() -> new ApiServerClient(caBundle, "walguard-webhook.other.svc", server.port())
        .review(UNJUDGED)).isInstanceOf(SSLHandshakeException.class);

    var stranger = Certificates.newAuthority("someone-else", Instant.now(), Duration.ofDays(30));
    assertThatThrownBy(() -> new ApiServerClient(ApiServerClient.trusting(List.of(stranger.certificate())),
        MockCluster.SERVICE_HOST, server.port()).review(UNJUDGED)).isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void theSecretIsReusedAcrossRestartsAndReplicas() throws Exception {
    cluster.installWebhookConfiguration();
    WebhookServer first = start();
    Secret created = secret();
    X509Certificate servedFirst = ApiServerClient.servedCertificate(
        new ApiServerClient(cluster.caBundle(), MockCluster.SERVICE_HOST, first.port()).review(UNJUDGED));

    WebhookServer replica = start();
    first.close();
    WebhookServer restarted = start();

    for (WebhookServer s : List.of(replica, restarted)) {
      var response = new ApiServerClient(cluster.caBundle(), MockCluster.SERVICE_HOST, s.port()).review(UNJUDGED);
      assertThat(ApiServerClient.servedCertificate(response)).isEqualTo(servedFirst);
    }
    assertThat(secret().getMetadata().getResourceVersion()).isEqualTo(created.getMetadata().getResourceVersion());
    assertThat(secret().getType()).isEqualTo("kubernetes.io/tls");
    assertThat(secret().getData()).containsOnlyKeys("tls.crt", "tls.key", "ca.crt", "ca.key");
  }

  @Test
  void aCreateRaceAdoptsTheSecretAnotherReplicaWroteFirst() throws Exception {
    cluster.installWebhookConfiguration();
    WebhookServer winner = start();
    Secret theirs = secret();
    // this replica looked before the winner's Secret existed: its create meets 409
    cluster.server.expect().get()
        .withPath("/api/v1/namespaces/" + MockCluster.NAMESPACE + "/secrets/walguard-webhook-tls")
        .andReturn(404, new StatusBuilder().withCode(404).withReason("NotFound").build()).once();

    WebhookServer loser = start();

    var response = new ApiServerClient(cluster.caBundle(), MockCluster.SERVICE_HOST, loser.port()).review(UNJUDGED);
    assertThat(ApiServerClient.servedCertificate(response))
        .isEqualTo(Pem.readCertificates(data(theirs, "tls.crt")).get(0));
    assertThat(secret().getMetadata().getResourceVersion()).isEqualTo(theirs.getMetadata().getResourceVersion());
    assertThat(winner.ready()).isTrue();
  }

  @Test
  void anUpdateRaceAdoptsTheRenewalAnotherReplicaWrote() throws Exception {
    cluster.installWebhookConfiguration();
    MovableClock clock = new MovableClock(Instant.now().minus(Duration.ofDays(300)));
    start(clock);
    Secret old = secret();
    clock.advance(Duration.ofDays(300));
    WebhookServer renewer = start(clock);
    Secret renewed = secret();
    assertThat(renewed.getMetadata().getResourceVersion()).isNotEqualTo(old.getMetadata().getResourceVersion());

    // this replica read the Secret before the renewal: its update carries the old resourceVersion and meets 409
    cluster.server.expect().get()
        .withPath("/api/v1/namespaces/" + MockCluster.NAMESPACE + "/secrets/walguard-webhook-tls")
        .andReturn(200, old).once();
    WebhookServer late = start(clock);

    var response = new ApiServerClient(cluster.caBundle(), MockCluster.SERVICE_HOST, late.port()).review(UNJUDGED);
    assertThat(ApiServerClient.servedCertificate(response))
        .isEqualTo(Pem.readCertificates(data(renewed, "tls.crt")).get(0));
    assertThat(secret().getMetadata().getResourceVersion()).isEqualTo(renewed.getMetadata().getResourceVersion());
    assertThat(renewer.ready()).isTrue();
  }

  @Test
  void renewalServesTheNewCertificateToNewConnectionsAndKeepsOldConnectionsWorking() throws Exception {
    cluster.installWebhookConfiguration();
    MovableClock clock = new MovableClock(Instant.now().minus(Duration.ofDays(250)));
    WebhookServer server = start(clock);
    String caBundle = cluster.caBundle();
    ApiServerClient before = new ApiServerClient(caBundle, MockCluster.SERVICE_HOST, server.port());
    X509Certificate first = ApiServerClient.servedCertificate(before.review(UNJUDGED));

    clock.advance(Duration.ofDays(250));
    server.refreshCertificates();

    X509Certificate renewed = Pem.readCertificates(data(secret(), "tls.crt")).get(0);
    assertThat(renewed).isNotEqualTo(first);
    assertThat(renewed.getNotAfter()).isAfter(first.getNotAfter());
    var oldConnection = before.review(UNJUDGED);
    assertThat(oldConnection.statusCode()).isEqualTo(200);
    assertThat(ApiServerClient.servedCertificate(oldConnection)).as("the pooled connection keeps its session")
        .isEqualTo(first);
    var newConnection = new ApiServerClient(cluster.caBundle(), MockCluster.SERVICE_HOST, server.port())
        .review(UNJUDGED);
    assertThat(ApiServerClient.servedCertificate(newConnection)).isEqualTo(renewed);
    assertThat(cluster.caBundle()).as("the CA stays, so the caBundle does not change").isEqualTo(caBundle);
  }

  @Test
  void aCaNearItsEndIsReplacedAndTheBundleTrustsBothUntilTheOldExpires() throws Exception {
    cluster.installWebhookConfiguration();
    MovableClock clock = new MovableClock(Instant.now().minus(Duration.ofDays(3650 - 200)));
    WebhookServer server = start(clock);
    X509Certificate oldCa = Pem.readCertificates(cluster.caBundle()).get(0);

    clock.advance(Duration.ofDays(3650 - 200));
    server.refreshCertificates();

    List<X509Certificate> bundle = Pem.readCertificates(cluster.caBundle());
    assertThat(bundle).hasSize(2).contains(oldCa);
    X509Certificate newCa = bundle.get(0);
    assertThat(newCa).isNotEqualTo(oldCa);
    X509Certificate leaf = Pem.readCertificates(data(secret(), "tls.crt")).get(0);
    leaf.verify(newCa.getPublicKey());
    assertThat(ApiServerClient.servedCertificate(new ApiServerClient(Pem.certificates(List.of(newCa)),
        MockCluster.SERVICE_HOST, server.port()).review(UNJUDGED))).isEqualTo(leaf);
  }

  @Test
  void anUnreadableOrForeignSecretIsReplaced() throws Exception {
    cluster.installWebhookConfiguration();
    cluster.client.secrets().inNamespace(MockCluster.NAMESPACE).resource(new SecretBuilder()
        .withNewMetadata().withName("walguard-webhook-tls").withNamespace(MockCluster.NAMESPACE).endMetadata()
        .withType("kubernetes.io/tls")
        .addToData("tls.crt", Base64.getEncoder().encodeToString("not a certificate".getBytes()))
        .addToData("tls.key", Base64.getEncoder().encodeToString("not a key".getBytes()))
        .build()).create();

    WebhookServer server = start();

    var response = new ApiServerClient(cluster.caBundle(), MockCluster.SERVICE_HOST, server.port()).review(UNJUDGED);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(secret().getData()).containsKeys("ca.crt", "ca.key");
  }

  @Test
  void theCaBundleOfOtherWebhooksIsLeftAlone() throws Exception {
    var config = cluster.installWebhookConfiguration();
    config.getWebhooks().add(0, new ValidatingWebhookBuilder(config.getWebhooks().get(0))
        .withName("other.example.com")
        .editClientConfig().withCaBundle("b3RoZXI=").editService().withName("other").endService().endClientConfig()
        .build());
    cluster.client.resource(config).update();

    start();

    var hooks = cluster.client.admissionRegistration().v1().validatingWebhookConfigurations().withName("walguard")
        .get().getWebhooks();
    assertThat(hooks.get(0).getClientConfig().getCaBundle()).isEqualTo("b3RoZXI=");
    assertThat(hooks.get(1).getClientConfig().getCaBundle()).isNotEmpty();
  }

  @Test
  void certManagerFilesAreServedAndReloadedAndTheCaBundleIsLeftAlone(@TempDir Path dir) throws Exception {
    cluster.installWebhookConfiguration();
    var ca = Certificates.newAuthority("cert-manager-ca", Instant.now(), Duration.ofDays(90));
    List<String> names = List.of(MockCluster.SERVICE_HOST, "walguard-webhook");
    ServingIdentity first = Certificates.issue(ca, names, Instant.now(), Duration.ofDays(30));
    write(dir, first);
    WebhookServer server = WebhookServer.builder(MockCluster.config().withCertManager(dir))
        .facts(() -> new InMemoryFacts("default")).kubernetes(cluster.client).start();
    closeLast.add(server);
    String trust = Pem.certificates(List.of(ca.certificate()));
    ApiServerClient before = new ApiServerClient(trust, MockCluster.SERVICE_HOST, server.port());
    assertThat(ApiServerClient.servedCertificate(before.review(UNJUDGED))).isEqualTo(first.leaf());

    ServingIdentity second = Certificates.issue(ca, names, Instant.now(), Duration.ofDays(30));
    write(dir, second);
    server.refreshCertificates();

    assertThat(ApiServerClient.servedCertificate(before.review(UNJUDGED))).isEqualTo(first.leaf());
    assertThat(ApiServerClient.servedCertificate(
        new ApiServerClient(trust, MockCluster.SERVICE_HOST, server.port()).review(UNJUDGED))).isEqualTo(second.leaf());
    assertThat(cluster.caBundle()).isNull();
    assertThat(secret()).isNull();
  }

  @Test
  void aHalfWrittenCertManagerPairKeepsTheCurrentCertificate(@TempDir Path dir) throws Exception {
    var ca = Certificates.newAuthority("cert-manager-ca", Instant.now(), Duration.ofDays(90));
    List<String> names = List.of(MockCluster.SERVICE_HOST);
    ServingIdentity first = Certificates.issue(ca, names, Instant.now(), Duration.ofDays(30));
    write(dir, first);
    WebhookServer server = WebhookServer.builder(MockCluster.config().withCertManager(dir))
        .facts(() -> new InMemoryFacts("default")).start();
    closeLast.add(server);

    ServingIdentity second = Certificates.issue(ca, names, Instant.now(), Duration.ofDays(30));
    Files.writeString(dir.resolve("tls.crt"), Pem.certificates(second.chain()));
    assertThatThrownBy(server::refreshCertificates).hasMessageContaining("does not belong to");

    String trust = Pem.certificates(List.of(ca.certificate()));
    assertThat(ApiServerClient.servedCertificate(new ApiServerClient(trust, MockCluster.SERVICE_HOST, server.port())
        .review(UNJUDGED))).isEqualTo(first.leaf());
    assertThat(Map.of("ready", server.ready())).containsEntry("ready", true);
  }

  private static void write(Path dir, ServingIdentity identity) throws Exception {
    Files.writeString(dir.resolve("tls.crt"), Pem.certificates(identity.chain()));
    Files.writeString(dir.resolve("tls.key"), Pem.privateKey(identity.key()));
  }
}
