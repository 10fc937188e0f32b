package io.walguard.audit;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Why the API server gave no answer, in words. The HTTP client's exceptions often carry no message at all (a refused
 * connection is a ConnectException caused by a bare ClosedChannelException), so the kind of failure is read from the
 * chain of causes.
 */
final class Unreachable {

  private Unreachable() {}

  static String why(Throwable failure) {
    String message = null;
    boolean connect = false;
    for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
      String own = cause.getMessage() == null || cause.getMessage().isBlank() ? null : firstLine(cause.getMessage());
      if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
        return "its host name does not resolve";
      }
      if (cause instanceof HttpTimeoutException) {
        return "no answer in time";
      }
      if (cause instanceof SSLException) {
        return "the TLS handshake failed" + (own == null ? "" : " (" + own + ")");
      }
      if (cause instanceof ConnectException) {
        connect = true;
        if (own != null) {
          return own.toLowerCase(Locale.ROOT);
        }
      }
      if (connect && cause instanceof ClosedChannelException) {
        return "connection refused";
      }
      if (message == null) {
        message = own;
      }
    }
    return connect ? "cannot connect" : message != null ? message : "no answer";
  }

  private static String firstLine(String text) {
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
