package dev.runfleet.orchestrators.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.PrivateKey;
import org.junit.jupiter.api.Test;

class GitHubAppPrivateKeyTest {

  @Test
  void parse_pkcs1Pem_givesTheSameKeyAsPkcs8() {
    PrivateKey fromPkcs1 = AppPrivateKey.parse(TestKeys.pkcs1Pem(GitHubTestBed.KEYS));
    PrivateKey fromPkcs8 = AppPrivateKey.parse(TestKeys.pkcs8Pem(GitHubTestBed.KEYS));

    assertThat(fromPkcs1.getEncoded()).isEqualTo(GitHubTestBed.KEYS.getPrivate().getEncoded());
    assertThat(fromPkcs8.getEncoded()).isEqualTo(GitHubTestBed.KEYS.getPrivate().getEncoded());
  }

  @Test
  void pkcs1ToPkcs8_isTheInverseOfStrippingTheHeader() {
    byte[] pkcs8 = GitHubTestBed.KEYS.getPrivate().getEncoded();

    assertThat(AppPrivateKey.pkcs1ToPkcs8(TestKeys.pkcs1(pkcs8))).isEqualTo(pkcs8);
  }

  @Test
  void parse_withEscapedNewlinesAndSurroundingText_readsTheKey() {
    String escaped = "  " + GitHubTestBed.PEM.replace("\n", "\\n") + "\n";

    assertThat(AppPrivateKey.parse(escaped).getEncoded())
        .isEqualTo(GitHubTestBed.KEYS.getPrivate().getEncoded());
  }

  @Test
  void parse_withWindowsLineEndings_readsTheKey() {
    assertThat(AppPrivateKey.parse(GitHubTestBed.PEM.replace("\n", "\r\n")).getEncoded())
        .isEqualTo(GitHubTestBed.KEYS.getPrivate().getEncoded());
  }

  @Test
  void derLength_usesShortAndLongForms() {
    assertThat(AppPrivateKey.derLength(127)).containsExactly(0x7f);
    assertThat(AppPrivateKey.derLength(128)).containsExactly(0x81, 0x80);
    assertThat(AppPrivateKey.derLength(255)).containsExactly(0x81, 0xff);
    assertThat(AppPrivateKey.derLength(256)).containsExactly(0x82, 0x01, 0x00);
    assertThat(AppPrivateKey.derLength(0x010000)).containsExactly(0x83, 0x01, 0x00, 0x00);
  }

  @Test
  void parse_corruptBody_failsWithoutQuotingTheKey() {
    String[] lines = GitHubTestBed.PEM.split("\n");
    String body = lines[3];
    String corrupt =
        GitHubTestBed.PEM.replace(body, body.substring(0, 20) + "!!!!" + body.substring(24));

    assertThatThrownBy(() -> AppPrivateKey.parse(corrupt))
        .isInstanceOf(IllegalArgumentException.class)
        .hasNoCause()
        .satisfies(
            e -> {
              for (String line : TestKeys.pemBodyLines(GitHubTestBed.PEM)) {
                assertThat(e.getMessage()).doesNotContain(line.substring(0, 16));
              }
            });
  }

  @Test
  void parse_encryptedKey_explainsThatItMustBeUnencrypted() {
    String encrypted =
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n"
            + "-----END ENCRYPTED PRIVATE KEY-----\n";

    assertThatThrownBy(() -> AppPrivateKey.parse(encrypted))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("encrypted")
        .hasMessageNotContaining("MIIFHDBO");
  }

  @Test
  void parse_publicKeyPem_isRefused() {
    assertThatThrownBy(
            () ->
                AppPrivateKey.parse(
                    "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n"
                        + "-----END PUBLIC KEY-----\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a PEM private key");
  }

  @Test
  void parse_pkcs1BodyLabelledPkcs8_isRefused() {
    String mislabelled =
        TestKeys.pkcs1Pem(GitHubTestBed.KEYS).replace("RSA PRIVATE KEY", "PRIVATE KEY");

    assertThatThrownBy(() -> AppPrivateKey.parse(mislabelled))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a readable RSA key");
  }
}
