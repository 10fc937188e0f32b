package io.walguard.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;

/** What Chart.yaml says about the chart. */
final class ChartFacts {

  private ChartFacts() {}

  static JsonNode chartYaml() {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(Repo.CHART.resolve("Chart.yaml").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String appVersion() {
    return chartYaml().get("appVersion").asText();
  }

  static String version() {
    return chartYaml().get("version").asText();
  }
}
