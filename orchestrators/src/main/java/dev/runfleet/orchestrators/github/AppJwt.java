package dev.runfleet.orchestrators.github;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.UUID;

/**
 * Mints the App's JWTs (RS256). Each token carries a random {@code jti}: identical JWTs minted in
 * the same second by parallel functions have made GitHub drop requests silently at a peer. The key
 * is read and parsed on first use, then kept.
 */
final class AppJwt {

  /** GitHub recommends back-dating {@code iat} to absorb clock drift. */
  static final Duration BACKDATE = Duration.ofSeconds(60);

  /** GitHub accepts at most 10 minutes; staying under it leaves room for drift. */
  static final Duration LIFETIME = Duration.ofMinutes(9);

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
  private static final String HEADER =
      BASE64URL.encodeToString(
          "{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

  private final long appId;
  private final PrivateKeySource keySource;
  private final Clock clock;
  private final ObjectMapper json;
  private volatile PrivateKey key;

  AppJwt(long appId, PrivateKeySource keySource, Clock clock, ObjectMapper json) {
    this.appId = appId;
    this.keySource = Objects.requireNonNull(keySource, "keySource");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.json = Objects.requireNonNull(json, "json");
  }

  String mint() throws GitHubFailure {
    long iat = clock.instant().minus(BACKDATE).getEpochSecond();
    ObjectNode claims = json.createObjectNode();
    claims.put("iat", iat);
    claims.put("exp", iat + LIFETIME.toSeconds());
    claims.put("iss", Long.toString(appId));
    claims.put("jti", UUID.randomUUID().toString());
    String signingInput =
        HEADER + "." + BASE64URL.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key());
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + BASE64URL.encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw GitHubFailure.rejected(
          "the App JWT could not be signed (" + e.getClass().getSimpleName() + ")");
    }
  }

  private PrivateKey key() throws GitHubFailure {
    PrivateKey loaded = key;
    if (loaded != null) {
      return loaded;
    }
    synchronized (this) {
      if (key == null) {
        key = load();
      }
      return key;
    }
  }

  private PrivateKey load() throws GitHubFailure {
    String pem;
    try {
      pem = keySource.pem();
    } catch (PrivateKeySource.Unavailable e) {
      throw e.retryable()
          ? GitHubFailure.retryLater("App private key: " + e.getMessage())
          : GitHubFailure.rejected("App private key: " + e.getMessage());
    } catch (RuntimeException e) {
      // An unknown source's message is not ours to vouch for: name the failure only.
      throw GitHubFailure.retryLater(
          "App private key could not be read (" + e.getClass().getSimpleName() + ")");
    }
    try {
      return AppPrivateKey.parse(pem);
    } catch (IllegalArgumentException e) {
      throw GitHubFailure.rejected(e.getMessage());
    }
  }
}
