package dev.runfleet.producer.intake;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks GitHub's {@code X-Hub-Signature-256}: {@code sha256=} and the hex HMAC-SHA256 of the exact
 * body bytes, compared in constant time. While a secret is rotated, a signature by the previous
 * secret is accepted too.
 *
 * <p>Thread-safe. Each thread keeps its own initialised {@link Mac} per secret, cloned from a
 * prototype, so a verification costs one HMAC and no key setup.
 */
public final class SignatureVerifier {

  public static final String HEADER = "X-Hub-Signature-256";

  private static final String ALGORITHM = "HmacSHA256";
  private static final String PREFIX = "sha256=";
  private static final int DIGEST_BYTES = 32;
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final ThreadLocal<Mac> current;
  private final ThreadLocal<Mac> previous;

  /**
   * @param currentSecret the secret GitHub signs with now
   * @param previousSecret the secret being rotated out, or null
   */
  public SignatureVerifier(String currentSecret, String previousSecret) {
    this.current = macs(Objects.requireNonNull(currentSecret, "currentSecret"));
    this.previous = previousSecret == null ? null : macs(previousSecret);
  }

  /**
   * True when {@code header} is a well-formed signature of {@code body} by the current or previous
   * secret.
   */
  public boolean verify(byte[] body, String header) {
    byte[] claimed = parse(header);
    if (claimed == null) {
      return false;
    }
    if (MessageDigest.isEqual(hmac(current, body), claimed)) {
      return true;
    }
    return previous != null && MessageDigest.isEqual(hmac(previous, body), claimed);
  }

  /** The header value GitHub would send for {@code body} signed with {@code secret}. */
  public static String signatureHeader(String secret, byte[] body) {
    return PREFIX + hex(hmac(macs(secret), body));
  }

  private static byte[] hmac(ThreadLocal<Mac> macs, byte[] body) {
    // doFinal resets the Mac for the next use on this thread.
    return macs.get().doFinal(body);
  }

  private static ThreadLocal<Mac> macs(String secret) {
    Mac prototype = newMac(secret);
    return ThreadLocal.withInitial(
        () -> {
          try {
            return (Mac) prototype.clone();
          } catch (CloneNotSupportedException e) {
            return newMac(secret);
          }
        });
  }

  private static Mac newMac(String secret) {
    if (secret.isEmpty()) {
      throw new IllegalArgumentException("a webhook secret must not be empty");
    }
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " is not available in this JVM", e);
    }
  }

  /** The digest bytes of a {@code sha256=<64 hex>} header, or null when it is anything else. */
  private static byte[] parse(String header) {
    if (header == null
        || header.length() != PREFIX.length() + 2 * DIGEST_BYTES
        || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return null;
    }
    byte[] out = new byte[DIGEST_BYTES];
    for (int i = 0; i < DIGEST_BYTES; i++) {
      int hi = hexValue(header.charAt(PREFIX.length() + 2 * i));
      int lo = hexValue(header.charAt(PREFIX.length() + 2 * i + 1));
      if (hi < 0 || lo < 0) {
        return null;
      }
      out[i] = (byte) ((hi << 4) | lo);
    }
    return out;
  }

  /** ASCII hex only: {@link Character#digit} would also accept other scripts' digits. */
  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static String hex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[bytes[i] & 0xf];
    }
    return new String(out);
  }

  @Override
  public String toString() {
    return "SignatureVerifier[previous secret " + (previous == null ? "none" : "accepted") + "]";
  }
}
