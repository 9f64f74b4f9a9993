package dev.runfleet.orchestrators.host;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Derived names for AWS parameters with length and alphabet limits. */
final class ClientTokens {

  private ClientTokens() {}

  /**
   * A client token unique to one launch attempt on one capacity choice: the SDK's own retries of a
   * call reuse it (idempotent), a fallback or a later attempt gets a new one.
   */
  static String of(String runnerName, String attemptId, String capacity) {
    return sha256(runnerName + "|" + attemptId + "|" + capacity).substring(0, 32);
  }

  /** {@code name} if it fits in {@code max} characters, else a stable 'rf-' + hash of it. */
  static String fit(String name, int max) {
    return name.length() <= max ? name : "rf-" + sha256(name).substring(0, max - 3);
  }

  private static String sha256(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
