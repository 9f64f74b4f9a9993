package dev.runfleet.orchestrators.github;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * RSA keys generated at test time and written as PEM the way GitHub hands them out (PKCS#1) and the
 * way the JDK writes them (PKCS#8): no private key is committed.
 */
final class TestKeys {

  private TestKeys() {}

  static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pkcs8Pem(KeyPair keys) {
    return pem("PRIVATE KEY", keys.getPrivate().getEncoded());
  }

  static String pkcs1Pem(KeyPair keys) {
    return pem("RSA PRIVATE KEY", pkcs1(keys.getPrivate().getEncoded()));
  }

  /** The PEM body's base64 lines: what must never show up in a log line. */
  static String[] pemBodyLines(String pem) {
    return Arrays.stream(pem.split("\n"))
        .filter(l -> !l.startsWith("-----"))
        .toArray(String[]::new);
  }

  /** PrivateKeyInfo ::= SEQUENCE { INTEGER, AlgorithmIdentifier, OCTET STRING pkcs1 }. */
  static byte[] pkcs1(byte[] pkcs8) {
    int[] at = {0};
    expect(pkcs8, at, 0x30);
    length(pkcs8, at);
    expect(pkcs8, at, 0x02);
    skip(pkcs8, at);
    expect(pkcs8, at, 0x30);
    skip(pkcs8, at);
    expect(pkcs8, at, 0x04);
    int length = length(pkcs8, at);
    return Arrays.copyOfRange(pkcs8, at[0], at[0] + length);
  }

  private static void expect(byte[] der, int[] at, int tag) {
    if ((der[at[0]] & 0xff) != tag) {
      throw new IllegalStateException("unexpected DER tag at " + at[0]);
    }
    at[0]++;
  }

  private static void skip(byte[] der, int[] at) {
    int length = length(der, at);
    at[0] += length;
  }

  private static int length(byte[] der, int[] at) {
    int first = der[at[0]++] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int length = 0;
    for (int i = 0; i < (first & 0x7f); i++) {
      length = (length << 8) | (der[at[0]++] & 0xff);
    }
    return length;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
