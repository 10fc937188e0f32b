package io.walguard.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The schema itself carries the validation a user meets at {@code kubectl apply} time. */
class CrdSchemaTest {

  static String crd() throws IOException {
    return Files.readString(CrdDriftTest.GENERATED);
  }

  @Test
  void claimNameAndFileAreRequired() throws IOException {
    assertThat(crd()).containsPattern("required:\\s*\\n\\s*- \"claimName\"\\s*\\n\\s*- \"file\"");
  }

  @Test
  void fileMustBeRelativeWithoutDotDot() throws IOException {
    assertThat(crd()).contains("rule: \"!self.startsWith('/')\"")
        .contains("rule: \"!self.split('/').exists(p, p == '..')\"");
  }

  @Test
  void walSizeLimitMustBePositive() throws IOException {
    assertThat(crd()).contains("quantity(string(self)).isGreaterThan(quantity('0'))");
  }

  @Test
  void hasStatusSubresourceShortNameAndPrinterColumns() throws IOException {
    assertThat(crd()).contains("status: {}").contains("- \"sqlitedb\"")
        .contains("name: \"Verdict\"").contains("name: \"Storage\"").contains("name: \"Last Checkpoint\"")
        .contains("name: \"Claim\"").contains("name: \"Action\"").contains("name: \"Nodes\"")
        .contains("name: \"Journal\"").contains("name: \"Age\"");
  }

  @Test
  void enumsAndDefaultsFollowTheDesign() throws IOException {
    assertThat(crd()).contains("default: \"auto\"").contains("default: \"DELETE\"")
        .contains("default: \"*/15 * * * *\"").contains("default: \"64Mi\"").contains("default: \"PASSIVE\"");
  }
}
