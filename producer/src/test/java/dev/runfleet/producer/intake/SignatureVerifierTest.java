package dev.runfleet.producer.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {

  // GitHub's documented test vector (docs: "Validating webhook deliveries").
  private static final String GITHUB_SECRET = "It's a Secret to Everybody";
  private static final byte[] GITHUB_BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
  private static final String GITHUB_SIGNATURE =
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

  @Test
  void verify_githubTestVector_accepts() {
    assertThat(new SignatureVerifier(GITHUB_SECRET, null).verify(GITHUB_BODY, GITHUB_SIGNATURE))
        .isTrue();
  }

  @Test
  void signatureHeader_githubTestVector_matchesGitHub() {
    assertThat(SignatureVerifier.signatureHeader(GITHUB_SECRET, GITHUB_BODY))
        .isEqualTo(GITHUB_SIGNATURE);
  }

  @Test
  void verify_whenSignedWithAnotherSecret_rejects() {
    assertThat(new SignatureVerifier("another secret", null).verify(GITHUB_BODY, GITHUB_SIGNATURE))
        .isFalse();
  }

  @Test
  void verify_whenSignedWithPreviousSecret_acceptsDuringRotation() {
    SignatureVerifier rotating = new SignatureVerifier("the new secret", GITHUB_SECRET);

    assertThat(rotating.verify(GITHUB_BODY, GITHUB_SIGNATURE)).isTrue();
    assertThat(
            rotating.verify(
                GITHUB_BODY, SignatureVerifier.signatureHeader("the new secret", GITHUB_BODY)))
        .isTrue();
    assertThat(
            rotating.verify(GITHUB_BODY, SignatureVerifier.signatureHeader("a third", GITHUB_BODY)))
        .isFalse();
  }

  @Test
  void verify_whenHeaderMissingOrMalformed_rejects() {
    SignatureVerifier verifier = new SignatureVerifier(GITHUB_SECRET, null);
    String hex = GITHUB_SIGNATURE.substring("sha256=".length());

    assertThat(verifier.verify(GITHUB_BODY, null)).isFalse();
    assertThat(verifier.verify(GITHUB_BODY, "")).isFalse();
    assertThat(verifier.verify(GITHUB_BODY, hex)).as("no prefix").isFalse();
    assertThat(verifier.verify(GITHUB_BODY, "sha1=" + hex)).as("other algorithm").isFalse();
    assertThat(verifier.verify(GITHUB_BODY, GITHUB_SIGNATURE + "00")).as("too long").isFalse();
    assertThat(verifier.verify(GITHUB_BODY, GITHUB_SIGNATURE.substring(0, 70))).isFalse();
    assertThat(verifier.verify(GITHUB_BODY, "sha256=" + "zz" + hex.substring(2)))
        .as("not hex")
        .isFalse();
    // Arabic-Indic digit seven (U+0667): Character.digit would read it as 7.
    assertThat(verifier.verify(GITHUB_BODY, "sha256=\u0667" + hex.substring(1)))
        .as("non-ASCII digit")
        .isFalse();
  }

  @Test
  void verify_upperCaseHexAndPrefix_accepts() {
    assertThat(
            new SignatureVerifier(GITHUB_SECRET, null)
                .verify(GITHUB_BODY, "SHA256=" + GITHUB_SIGNATURE.substring(7).toUpperCase()))
        .isTrue();
  }

  @Test
  void verify_whenOneByteOfBodyChanged_rejects() {
    byte[] tampered = GITHUB_BODY.clone();
    tampered[tampered.length - 1] = '?';

    assertThat(new SignatureVerifier(GITHUB_SECRET, null).verify(tampered, GITHUB_SIGNATURE))
        .isFalse();
  }

  @Property(tries = 200)
  void verify_anyBodyWithAnyByteFlipped_rejects(
      @ForAll @Size(min = 1, max = 512) byte[] body,
      @ForAll @IntRange(min = 0, max = 511) int position,
      @ForAll @IntRange(min = 1, max = 255) int flip) {
    SignatureVerifier verifier = new SignatureVerifier(GITHUB_SECRET, "previous");
    String header = SignatureVerifier.signatureHeader(GITHUB_SECRET, body);
    byte[] tampered = body.clone();
    tampered[position % body.length] ^= (byte) flip;

    assertThat(verifier.verify(body, header)).isTrue();
    assertThat(verifier.verify(tampered, header)).isFalse();
  }

  @Test
  void toString_neverShowsTheSecret() {
    assertThat(new SignatureVerifier(GITHUB_SECRET, "old one").toString())
        .doesNotContain(GITHUB_SECRET)
        .doesNotContain("old one");
  }
}
