package io.walguard.sqlite.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

  @ParameterizedTest
  @CsvSource({"500ms, 500", "10s, 10000", "2m, 120000", "1h30m, 5400000", "PT10S, 10000", "pt1.5s, 1500", "0s, 0",
      "1.5s, 1500", "0.25s, 250", ".5s, 500", "1.5m, 90000", "2h0.5m, 7230000"})
  void readsDurationsAsKubernetesAndIsoWriteThem(String text, long millis) {
    assertThat(DurationConverter.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10", "ten seconds", "10sec", "-5s", "PT-5S", "5s 3m", "1.s", "1..5s", "1,5s",
      "99999999999999999999h"})
  void refusesAnythingElseWithAnExample(String text) {
    assertThatThrownBy(() -> DurationConverter.parse(text))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("e.g. 500ms");
  }
}
