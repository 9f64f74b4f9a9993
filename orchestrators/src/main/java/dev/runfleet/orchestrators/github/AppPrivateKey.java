package dev.runfleet.orchestrators.github;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a GitHub App private key from PEM. GitHub hands out PKCS#1 ({@code BEGIN RSA PRIVATE KEY}),
 * which the JDK cannot read directly: the DER is wrapped in a PKCS#8 envelope here rather than
 * pulling in BouncyCastle. Error messages never quote the input.
 */
final class AppPrivateKey {

  private static final Pattern PEM =
      Pattern.compile(
          "-----BEGIN ((?:RSA |ENCRYPTED )?PRIVATE KEY)-----(.*?)-----END \\1-----",
          Pattern.DOTALL);

  /** AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }. */
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };

  private AppPrivateKey() {}

  /**
   * @throws IllegalArgumentException when the text is not an unencrypted RSA private key in PEM
   */
  static PrivateKey parse(String pem) {
    if (pem == null) {
      throw new IllegalArgumentException("the GitHub App private key is empty");
    }
    // Keys pasted into JSON or environment variables often arrive with literal "\n" sequences.
    Matcher matcher = PEM.matcher(pem.replace("\\n", "\n").replace("\\r", ""));
    if (!matcher.find()) {
      throw new IllegalArgumentException(
          "the GitHub App private key is not a PEM private key"
              + " (expected BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY)");
    }
    String kind = matcher.group(1);
    if (kind.startsWith("ENCRYPTED")) {
      throw new IllegalArgumentException(
          "the GitHub App private key is encrypted; store it unencrypted in the secret");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(matcher.group(2).strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the GitHub App private key's PEM body is not base64");
    }
    byte[] pkcs8 = kind.startsWith("RSA") ? pkcs1ToPkcs8(der) : der;
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      // The cause's message may describe the encoding; its class is enough to diagnose.
      throw new IllegalArgumentException(
          "the GitHub App private key is not a readable RSA key ("
              + e.getClass().getSimpleName()
              + ")");
    } finally {
      Arrays.fill(der, (byte) 0);
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  /** PrivateKeyInfo ::= SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING pkcs1 }. */
  static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(pkcs1.length + 32);
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(RSA_ALGORITHM);
    body.write(0x04);
    body.writeBytes(derLength(pkcs1.length));
    body.writeBytes(pkcs1);
    byte[] inner = body.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream(inner.length + 4);
    out.write(0x30);
    out.writeBytes(derLength(inner.length));
    out.writeBytes(inner);
    Arrays.fill(inner, (byte) 0);
    return out.toByteArray();
  }

  /** A DER length: short form below 128, else 0x80 | byte count, then big-endian bytes. */
  static byte[] derLength(int length) {
    if (length < 0x80) {
      return new byte[] {(byte) length};
    }
    int bytes = length <= 0xff ? 1 : length <= 0xffff ? 2 : length <= 0xffffff ? 3 : 4;
    byte[] encoded = new byte[bytes + 1];
    encoded[0] = (byte) (0x80 | bytes);
    for (int i = bytes; i > 0; i--) {
      encoded[i] = (byte) (length & 0xff);
      length >>>= 8;
    }
    return encoded;
  }
}
