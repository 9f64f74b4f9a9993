package dev.runfleet.orchestrators.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/** Reads and verifies the JWTs the client sends, independently of the client's own code. */
final class Jwts {

  private static final ObjectMapper JSON = new ObjectMapper();

  record Decoded(JsonNode header, JsonNode claims, boolean signatureValid) {}

  private Jwts() {}

  static Decoded decode(String jwt, PublicKey key) {
    String[] parts = jwt.split("\\.");
    if (parts.length != 3) {
      throw new IllegalArgumentException("a JWT has three parts, this has " + parts.length);
    }
    try {
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(key);
      verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      boolean valid = verifier.verify(Base64.getUrlDecoder().decode(parts[2]));
      return new Decoded(
          JSON.readTree(Base64.getUrlDecoder().decode(parts[0])),
          JSON.readTree(Base64.getUrlDecoder().decode(parts[1])),
          valid);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String bearer(String authorizationHeader) {
    if (!authorizationHeader.startsWith("Bearer ")) {
      throw new IllegalArgumentException("not a bearer authorization");
    }
    return authorizationHeader.substring("Bearer ".length());
  }
}
