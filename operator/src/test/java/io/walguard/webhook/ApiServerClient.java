package io.walguard.webhook;

import io.walguard.webhook.tls.Pem;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Calls the webhook the way kube-apiserver does: it trusts only the caBundle, and it checks the served certificate
 * against the Service's DNS name ({@code walguard-webhook.<ns>.svc}) although it dials 127.0.0.1. Every TLS engine
 * the JDK HTTP client creates is told that its peer is the Service name, so the JDK's own endpoint identification
 * does the check.
 */
final class ApiServerClient {

  private final HttpClient http;
  private final int port;

  ApiServerClient(String caBundlePem, String serviceHost, int port) throws GeneralSecurityException {
    this(trusting(Pem.readCertificates(caBundlePem)), serviceHost, port);
  }

  ApiServerClient(SSLContext trusting, String serviceHost, int port) {
    this.port = port;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .sslContext(peerNamed(trusting, serviceHost))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  static SSLContext trusting(List<X509Certificate> cas) throws GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      store.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
    for (int i = 0; i < cas.size(); i++) {
      store.setCertificateEntry("ca-" + i, cas.get(i));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  HttpResponse<String> post(String path, byte[] body) throws IOException, InterruptedException {
    return http.send(request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> review(String json) throws IOException, InterruptedException {
    return post("/validate", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json");
  }

  HttpClient http() {
    return http;
  }

  /** The served leaf certificate of a response. */
  static X509Certificate servedCertificate(HttpResponse<?> response) throws IOException {
    var session = response.sslSession().orElseThrow();
    return (X509Certificate) session.getPeerCertificates()[0];
  }

  /** An SSLContext whose engines all believe they talk to {@code host}. */
  private static SSLContext peerNamed(SSLContext real, String host) {
    SSLContextSpi spi = new SSLContextSpi() {
      @Override
      protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
        throw new KeyManagementException("already initialised");
      }

      @Override
      protected SSLSocketFactory engineGetSocketFactory() {
        return real.getSocketFactory();
      }

      @Override
      protected SSLServerSocketFactory engineGetServerSocketFactory() {
        return real.getServerSocketFactory();
      }

      @Override
      protected SSLEngine engineCreateSSLEngine() {
        return real.createSSLEngine(host, -1);
      }

      @Override
      protected SSLEngine engineCreateSSLEngine(String ignoredHost, int port) {
        return real.createSSLEngine(host, port);
      }

      @Override
      protected SSLSessionContext engineGetServerSessionContext() {
        return real.getServerSessionContext();
      }

      @Override
      protected SSLSessionContext engineGetClientSessionContext() {
        return real.getClientSessionContext();
      }

      @Override
      protected SSLParameters engineGetDefaultSSLParameters() {
        return real.getDefaultSSLParameters();
      }

      @Override
      protected SSLParameters engineGetSupportedSSLParameters() {
        return real.getSupportedSSLParameters();
      }
    };
    return new SSLContext(spi, real.getProvider(), real.getProtocol()) {};
  }
}
