package io.walguard.audit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Keeps library logging off stdout, which belongs to the report ({@code -o json} must be exactly one JSON document):
 * console logging goes to stderr, warnings and errors only (less the client's warning about walguard's own alpha API).
 */
public final class CliLogging {

  /** The fabric8 logger that warns about resources served at an alpha or beta version. */
  static final String UNSTABLE_VERSION_WARNINGS = "io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils";

  private CliLogging() {}

  public static void warningsToStderr() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    List<Appender<ILoggingEvent>> consoles = new ArrayList<>();
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      Appender<ILoggingEvent> appender = it.next();
      if (appender instanceof ConsoleAppender<ILoggingEvent>) {
        consoles.add(appender);
      }
    }
    consoles.forEach(appender -> {
      root.detachAppender(appender);
      appender.stop();
    });
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("walguard: %level %logger{24}: %msg%n");
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("walguard-cli-stderr");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    root.addAppender(stderr);
    root.setLevel(Level.WARN);
    // The client warns once per run that walguard.io/v1alpha1 is not a stable version: walguard's own API, known.
    context.getLogger(UNSTABLE_VERSION_WARNINGS).setLevel(Level.ERROR);
  }
}
