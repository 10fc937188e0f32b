package io.walguard.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The CRD YAML users apply is committed; the build regenerates it from the Java model. They must agree.
 * Run the build with {@code -Dwalguard.crd.update=true} to rewrite the committed copy after changing the model.
 */
class CrdDriftTest {

  static final Path GENERATED = Path.of("target/classes/META-INF/fabric8/sqlitedatabases.walguard.io-v1.yml");
  static final Path COMMITTED = Path.of("sqlitedatabases.walguard.io-v1.yml");

  @Test
  void committedCrdMatchesTheJavaModel() throws IOException {
    String generated = Files.readString(GENERATED, StandardCharsets.UTF_8);
    if (Boolean.getBoolean("walguard.crd.update")) {
      Files.writeString(COMMITTED, generated, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(COMMITTED, StandardCharsets.UTF_8))
        .as("crd/%s is out of date with the Java model: rebuild with -Dwalguard.crd.update=true and commit it",
            COMMITTED)
        .isEqualTo(generated);
  }
}
