package io.walguard.webhook;

import io.walguard.webhook.tls.CertificateSource;
import io.walguard.webhook.tls.Certificates;
import io.walguard.webhook.tls.Pem;
import io.walguard.webhook.tls.ReloadingKeyManager;
import io.walguard.webhook.tls.ServingIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/** A CA and serving certificate made for one test run (none is ever stored in the repository). */
final class TestTls {

  final Certificates.Authority ca =
      Certificates.newAuthority("walguard-test-ca", Instant.now(), Duration.ofDays(2));
  final ServingIdentity serving = Certificates.issue(ca, List.of(MockCluster.SERVICE_HOST), Instant.now(),
      Duration.ofDays(1));

  String caPem() {
    return Pem.certificates(List.of(ca.certificate()));
  }

  Function<ReloadingKeyManager, CertificateSource> source() {
    return km -> new CertificateSource() {
      @Override
      public void refresh() {
        if (km.current().isEmpty()) {
          km.load(serving);
        }
      }

      @Override
      public String describe() {
        return "test certificate";
      }
    };
  }

  ApiServerClient client(WebhookServer server) throws Exception {
    return new ApiServerClient(caPem(), MockCluster.SERVICE_HOST, server.port());
  }
}
