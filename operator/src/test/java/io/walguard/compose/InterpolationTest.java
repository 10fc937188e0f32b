package io.walguard.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InterpolationTest {

  private static final Interpolation VARIABLES =
      new Interpolation(Map.of("HOST", "nas.local", "EMPTY", "", "N", "3", "INNER", "in"));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      addr=${HOST},rw            | addr=nas.local,rw
      addr=$HOST,rw              | addr=nas.local,rw
      ${MISSING}                 |
      ${MISSING:-nfs4}           | nfs4
      ${EMPTY:-nfs4}             | nfs4
      ${EMPTY-nfs4}              |
      ${MISSING-nfs4}            | nfs4
      ${HOST:-other}             | nas.local
      ${HOST:+set}               | set
      ${EMPTY:+set}              |
      ${EMPTY+set}               | set
      ${MISSING+set}             |
      ${MISSING:-${INNER}}       | in
      ${MISSING:-${ALSO:-deep}}  | deep
      ${EMPTY?fine when set}     |
      $$HOST                     | $HOST
      $${HOST}                   | ${HOST}
      cost $5                    | cost $5
      trailing $                 | trailing $
      no variables               | no variables
      ${N}                       | 3
      """)
  void substitutesAsCompose(String template, String expected) {
    assertThat(VARIABLES.substitute(template)).isEqualTo(expected == null ? "" : expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      ${MISSING:?set MISSING} | required variable MISSING is missing a value: set MISSING
      ${EMPTY:?not empty}     | required variable EMPTY is missing a value: not empty
      ${MISSING?needed}       | required variable MISSING is missing a value: needed
      ${HOST                  | unclosed "${"
      ${1X}                   | invalid interpolation "${1X}"
      ${HOST/a/b}             | after the name Compose accepts
      """)
  void refusesWhatComposeRefuses(String template, String message) {
    assertThatThrownBy(() -> VARIABLES.substitute(template))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
  }
}
