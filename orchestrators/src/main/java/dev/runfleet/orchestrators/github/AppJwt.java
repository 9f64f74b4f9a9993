package dev.runfleet.orchestrators.github;

import dev.runfleet.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Mints the App's JWTs (RS256). Each token carries a random {@code jti}: identical JWTs minted in
 * the same second by parallel functions have made GitHub drop requests silently at a peer. The key
 * is read and parsed on first use and kept, parsed, for {@link #KEY_REFRESH} only, and dropped at
 * once when GitHub refuses a JWT: a rotated or revoked key leaves every warm function within
 * minutes, and the PEM text is never kept.
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

  /** How long a parsed key is used before it is read again from its source. */
  static final Duration KEY_REFRESH = Duration.ofMinutes(15);

  /**
   * How long one JWT serves the App's requests before {@link #current()} mints another: well inside
   * its validity (until {@code exp}, 8 minutes after it was minted).
   */
  static final Duration REUSE = Duration.ofMinutes(1);

  private record Loaded(PrivateKey key, Instant at) {}

  private record Minted(String token, Instant at) {}

  private final long appId;
  private final PrivateKeySource keySource;
  private final Clock clock;
  private volatile Loaded loaded;
  private volatile Minted minted;

  AppJwt(long appId, PrivateKeySource keySource, Clock clock) {
    this.appId = appId;
    this.keySource = Objects.requireNonNull(keySource, "keySource");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * A JWT for the App's next request: the one last minted while it is younger than {@link #REUSE},
   * else a new one. GitHub accepts a JWT for any number of requests until it expires, and each new
   * one costs an RSA signature: minted per request, the reconciler paging through the App's webhook
   * deliveries spent about a tenth of the local pipeline's CPU signing them.
   */
  String current() throws GitHubFailure {
    Instant now = clock.instant();
    Minted last = minted;
    if (last != null && !now.isBefore(last.at()) && now.isBefore(last.at().plus(REUSE))) {
      return last.token();
    }
    String token = mint();
    minted = new Minted(token, now);
    return token;
  }

  /** A new JWT, with its own {@code jti}. */
  String mint() throws GitHubFailure {
    long iat = clock.instant().minus(BACKDATE).getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iat", iat);
    claims.put("exp", iat + LIFETIME.toSeconds());
    claims.put("iss", Long.toString(appId));
    claims.put("jti", UUID.randomUUID().toString());
    String signingInput = HEADER + "." + BASE64URL.encodeToString(Json.bytes(claims));
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
    Instant now = clock.instant();
    Loaded current = loaded;
    if (fresh(current, now)) {
      return current.key();
    }
    synchronized (this) {
      if (!fresh(loaded, now)) {
        loaded = new Loaded(load(), now);
      }
      return loaded.key();
    }
  }

  private static boolean fresh(Loaded candidate, Instant now) {
    return candidate != null && now.isBefore(candidate.at().plus(KEY_REFRESH));
  }

  /**
   * Drops the parsed key and the JWT {@link #current()} reuses, so the next JWT is signed with the
   * key as its source holds it now: GitHub refused a JWT, and a rotated key is the likely cause.
   * True when there was a key to drop (one retry is worth it).
   */
  synchronized boolean forgetKey() {
    boolean had = loaded != null;
    loaded = null;
    minted = null;
    return had;
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
