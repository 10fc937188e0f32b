package io.walguard.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SqliteVersionTest {

  @ParameterizedTest(name = "{0}: safe={1}, WAL-reset bug={2}")
  @CsvSource({
    "3.6.23, false, false",
    "3.7.0, false, true",
    "3.7.17, false, true",
    "3.40.1, false, true",
    "3.51.2, false, true",
    "3.51.3, true, false",
    "3.51.10, true, false",
    "3.52.0, true, false",
    "3.53.4, true, false",
    "4.0.0, true, false",
    "3.51, false, true",
  })
  void versionsFromTheWalResetBugOnAreRefusedUntilTheFix(String text, boolean safe, boolean bug) {
    SqliteVersion v = SqliteVersion.parse(text);
    assertThat(v.isSafe()).isEqualTo(safe);
    assertThat(v.hasWalResetBug()).isEqualTo(bug);
    assertThat(SqliteLibrary.refusal(v) == null).isEqualTo(safe);
  }

  @Test
  void comparesNumericallyNotAsText() {
    assertThat(SqliteVersion.parse("3.51.10")).isGreaterThan(SqliteVersion.parse("3.51.3"));
    assertThat(SqliteVersion.parse("3.100.0")).isGreaterThan(SqliteVersion.parse("3.99.9"));
  }

  @Test
  void refusalNamesTheBugAndTheFix() {
    assertThat(SqliteLibrary.refusal(SqliteVersion.parse("3.51.2")))
        .contains("refusing to run on SQLite 3.51.2")
        .contains("WAL-reset bug")
        .contains("3.51.3 or newer");
    assertThat(SqliteLibrary.refusal(SqliteVersion.parse("3.6.0"))).contains("predates the fix");
  }

  @Test
  void theBundledLibraryIsSafe() throws Exception {
    assertThat(SqliteLibrary.requireSafe().isSafe()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "three", "3", "v3.51.3"})
  void garbageIsNotAVersion(String text) {
    assertThatThrownBy(() -> SqliteVersion.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ignoresAFourthNumber() {
    assertThat(SqliteVersion.parse("3.51.3.1")).isEqualTo(new SqliteVersion(3, 51, 3));
  }
}
