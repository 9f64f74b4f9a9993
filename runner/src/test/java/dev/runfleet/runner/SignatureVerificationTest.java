package dev.runfleet.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * verify-signature.sh with the real gpg, as the image build runs it before installing the AWS CLI:
 * only a signature by exactly the pinned key passes; the shipped key is AWS's.
 */
class SignatureVerificationTest {

  /** The AWS CLI signing key's fingerprint, as AWS publishes it. */
  private static final String AWS_CLI_FINGERPRINT = "FB5DB77FD5C118B80511ADA8A6310ACC4672475C";

  private static final Path SCRIPT = ScriptSandbox.MODULE_DIR.resolve("verify-signature.sh");
  private static final Path AWS_KEY = ScriptSandbox.MODULE_DIR.resolve("aws-cli-public-key.asc");
  private static final Path DOCKERFILE = ScriptSandbox.MODULE_DIR.resolve("Dockerfile");

  @TempDir Path dir;
  private Path home;
  private Path file;

  private record Run(int exitCode, String output) {}

  @BeforeEach
  void setUp() throws IOException {
    assumeTrue(Files.isExecutable(ScriptSandbox.BASH), "needs /bin/bash");
    assumeTrue(onPath("gpg"), "needs gpg");
    home =
        Files.createDirectories(
            dir.resolve("signer-home"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    file = dir.resolve("installer.zip");
    Files.writeString(file, "the installer");
  }

  @Test
  void verify_whenSignedByThePinnedKey_passes() {
    String fingerprint = signerKey(null, null);
    Path signature = sign(file, null);

    Run run = verify(file, signature, exportKey(), fingerprint);

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("is signed by " + fingerprint);
  }

  @Test
  void verify_whenThePinnedFingerprintIsAnotherKeys_refuses() {
    signerKey(null, null);
    Path signature = sign(file, null);

    Run run = verify(file, signature, exportKey(), AWS_CLI_FINGERPRINT);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.output()).contains("NOT signed by " + AWS_CLI_FINGERPRINT);
  }

  @Test
  void verify_whenTheFileWasTamperedWith_refuses() throws IOException {
    String fingerprint = signerKey(null, null);
    Path signature = sign(file, null);
    Files.writeString(file, "the installer, with something added");

    Run run = verify(file, signature, exportKey(), fingerprint);

    assertThat(run.exitCode()).isEqualTo(1);
  }

  @Test
  void verify_whenTheSignatureIsMissing_refuses() {
    String fingerprint = signerKey(null, null);

    Run run = verify(file, dir.resolve("no-such.sig"), exportKey(), fingerprint);

    assertThat(run.exitCode()).isEqualTo(1);
  }

  @Test
  void verify_whenThePinnedKeyHasSinceExpired_stillPasses() {
    // AWS's published key carries a 2023 expiry: expiry says nothing about who signed.
    String fingerprint = signerKey("2020-01-01T00:00:00", "1y");
    Path signature = sign(file, "20200601T000000");

    Run run = verify(file, signature, exportKey(), fingerprint);

    assertThat(run.exitCode()).as(run.output()).isZero();
  }

  @Test
  void shippedKey_isAwsCliSigningKey() {
    Run imported = gpg(List.of("--batch", "--import", AWS_KEY.toString()));
    Run listed = gpg(List.of("--batch", "--with-colons", "--fingerprint", "aws-cli@amazon.com"));

    assertThat(imported.exitCode()).as(imported.output()).isZero();
    assertThat(listed.output()).contains("fpr:::::::::" + AWS_CLI_FINGERPRINT + ":");
  }

  @Test
  void dockerfile_verifiesTheInstallerBeforeUnpackingIt() throws IOException {
    String dockerfile = Files.readString(DOCKERFILE);

    int download = dockerfile.indexOf("\"$url.sig\"");
    int verify = dockerfile.indexOf("verify-signature.sh \"$tmp/awscliv2.zip\"");
    int unzip = dockerfile.indexOf("unzip -q \"$tmp/awscliv2.zip\"");
    assertThat(download).isPositive();
    assertThat(verify).isGreaterThan(download);
    assertThat(unzip).isGreaterThan(verify);
    assertThat(dockerfile).contains("AWS_CLI_KEY_FINGERPRINT=" + AWS_CLI_FINGERPRINT);
  }

  // ---- gpg plumbing ----

  /**
   * Makes the signer's key, created now or at {@code createdAt}, expiring after {@code expiry}
   * (null: never).
   */
  private String signerKey(String createdAt, String expiry) {
    List<String> args = new ArrayList<>(List.of("--batch", "--passphrase", ""));
    if (createdAt != null) {
      args.addAll(List.of("--faked-system-time", createdAt.replace("-", "").replace(":", "")));
    }
    args.addAll(
        List.of(
            "--quick-gen-key",
            "Signer <signer@example.com>",
            "rsa2048",
            "sign",
            expiry == null ? "never" : expiry));
    Run made = gpg(args);
    assertThat(made.exitCode()).as(made.output()).isZero();
    Run listed = gpg(List.of("--batch", "--with-colons", "--fingerprint", "signer@example.com"));
    return listed
        .output()
        .lines()
        .filter(line -> line.startsWith("fpr:"))
        .findFirst()
        .map(line -> line.split(":")[9])
        .orElseThrow();
  }

  private Path sign(Path target, String at) {
    Path signature = dir.resolve(target.getFileName() + ".sig");
    List<String> args =
        new ArrayList<>(List.of("--batch", "--pinentry-mode", "loopback", "--passphrase", ""));
    if (at != null) {
      args.addAll(List.of("--faked-system-time", at));
    }
    args.addAll(List.of("--detach-sign", "-o", signature.toString(), target.toString()));
    Run signed = gpg(args);
    assertThat(signed.exitCode()).as(signed.output()).isZero();
    return signature;
  }

  private Path exportKey() {
    Path key = dir.resolve("signer.asc");
    Run exported = gpg(List.of("--batch", "--armor", "--output", key.toString(), "--export"));
    assertThat(exported.exitCode()).as(exported.output()).isZero();
    return key;
  }

  private Run verify(Path target, Path signature, Path key, String fingerprint) {
    return exec(
        List.of(
            ScriptSandbox.BASH.toString(),
            SCRIPT.toString(),
            target.toString(),
            signature.toString(),
            key.toString(),
            fingerprint),
        null);
  }

  private Run gpg(List<String> args) {
    List<String> command = new ArrayList<>(List.of("gpg"));
    command.addAll(args);
    return exec(command, home);
  }

  private static Run exec(List<String> command, Path gnupgHome) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (gnupgHome != null) {
      builder.environment().put("GNUPGHOME", gnupgHome.toString());
    } else {
      // The script makes its own keyring: nothing of the signer's may leak into it.
      builder.environment().remove("GNUPGHOME");
    }
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("did not finish within 60 s: " + command);
      }
      return new Run(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String entry : path.split(":")) {
      if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, program))) {
        return true;
      }
    }
    return false;
  }
}
