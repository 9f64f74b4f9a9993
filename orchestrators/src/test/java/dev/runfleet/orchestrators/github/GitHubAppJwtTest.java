package dev.runfleet.orchestrators.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runfleet.orchestrators.testing.MutableClock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GitHubAppJwtTest {

  private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

  private final MutableClock clock = new MutableClock(NOW);

  @Test
  void mint_fromPkcs1Key_signsRs256TokenGitHubAccepts() throws Exception {
    AppJwt jwt = new AppJwt(4242, () -> GitHubTestBed.PEM, clock);

    Jwts.Decoded decoded = Jwts.decode(jwt.mint(), GitHubTestBed.KEYS.getPublic());

    assertThat(decoded.signatureValid()).isTrue();
    assertThat(decoded.header().path("alg").asText()).isEqualTo("RS256");
    assertThat(decoded.header().path("typ").asText()).isEqualTo("JWT");
    assertThat(decoded.claims().path("iss").asText()).isEqualTo("4242");
    assertThat(decoded.claims().path("iat").asLong()).isEqualTo(NOW.getEpochSecond() - 60);
    assertThat(decoded.claims().path("exp").asLong()).isEqualTo(NOW.getEpochSecond() + 480);
  }

  @Test
  void mint_fromPkcs8Key_verifiesWithThePublicKey() throws Exception {
    AppJwt jwt = new AppJwt(4242, () -> TestKeys.pkcs8Pem(GitHubTestBed.KEYS), clock);

    assertThat(Jwts.decode(jwt.mint(), GitHubTestBed.KEYS.getPublic()).signatureValid()).isTrue();
  }

  @Test
  void mint_withOtherKey_doesNotVerify() throws Exception {
    AppJwt jwt = new AppJwt(4242, () -> TestKeys.pkcs1Pem(TestKeys.generate()), clock);

    assertThat(Jwts.decode(jwt.mint(), GitHubTestBed.KEYS.getPublic()).signatureValid()).isFalse();
  }

  @Test
  void mint_twiceInTheSameSecond_givesDistinctJtiWithinTenMinutes() throws Exception {
    AppJwt jwt = new AppJwt(4242, () -> GitHubTestBed.PEM, clock);

    String first = jwt.mint();
    String second = jwt.mint();

    Jwts.Decoded a = Jwts.decode(first, GitHubTestBed.KEYS.getPublic());
    Jwts.Decoded b = Jwts.decode(second, GitHubTestBed.KEYS.getPublic());
    assertThat(first).isNotEqualTo(second);
    assertThat(a.claims().path("iat")).isEqualTo(b.claims().path("iat"));
    assertThat(a.claims().path("jti").asText()).isNotEqualTo(b.claims().path("jti").asText());
    for (Jwts.Decoded decoded : new Jwts.Decoded[] {a, b}) {
      long lifetime = decoded.claims().path("exp").asLong() - decoded.claims().path("iat").asLong();
      assertThat(lifetime).isPositive().isLessThanOrEqualTo(600);
    }
  }

  @Test
  void mint_readsTheKeyOnce() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    AppJwt jwt =
        new AppJwt(
            4242,
            () -> {
              reads.incrementAndGet();
              return GitHubTestBed.PEM;
            },
            clock);

    jwt.mint();
    jwt.mint();

    assertThat(reads).hasValue(1);
  }

  @Test
  void mint_whenKeyTemporarilyUnavailable_isRetryableAndReadsAgainNextTime() throws Exception {
    AtomicInteger reads = new AtomicInteger();
    AppJwt jwt =
        new AppJwt(
            4242,
            () -> {
              if (reads.incrementAndGet() == 1) {
                throw new PrivateKeySource.Unavailable(
                    "secret x could not be read: Throttling", true);
              }
              return GitHubTestBed.PEM;
            },
            clock);

    assertThatThrownBy(jwt::mint)
        .isInstanceOfSatisfying(GitHubFailure.class, f -> assertThat(f.retryable()).isTrue());
    assertThat(Jwts.decode(jwt.mint(), GitHubTestBed.KEYS.getPublic()).signatureValid()).isTrue();
  }

  @Test
  void mint_whenKeyIsNotPem_isRejectedWithoutQuotingIt() {
    String notAKey = "hunter2-super-secret-value";
    AppJwt jwt = new AppJwt(4242, () -> notAKey, clock);

    assertThatThrownBy(jwt::mint)
        .isInstanceOfSatisfying(
            GitHubFailure.class,
            f -> {
              assertThat(f.retryable()).isFalse();
              assertThat(f.reason()).doesNotContain(notAKey).contains("not a PEM private key");
            });
  }

  /** A key source that counts reads and serves whichever key it holds now (a rotation). */
  private static final class RotatingSource implements PrivateKeySource {
    final AtomicInteger reads = new AtomicInteger();
    volatile String pem = GitHubTestBed.PEM;

    @Override
    public String pem() {
      reads.incrementAndGet();
      return pem;
    }
  }

  @Test
  void mint_withinTheRefreshInterval_readsTheKeyOnce() throws Exception {
    RotatingSource source = new RotatingSource();
    AppJwt jwt = new AppJwt(4242, source, clock);

    jwt.mint();
    clock.advance(AppJwt.KEY_REFRESH.minusSeconds(1));
    jwt.mint();

    assertThat(source.reads).hasValue(1);
  }

  @Test
  void mint_afterTheRefreshInterval_signsWithTheRotatedKey() throws Exception {
    RotatingSource source = new RotatingSource();
    AppJwt jwt = new AppJwt(4242, source, clock);
    jwt.mint();
    java.security.KeyPair rotated = TestKeys.generate();
    source.pem = TestKeys.pkcs1Pem(rotated);

    clock.advance(AppJwt.KEY_REFRESH);
    String token = jwt.mint();

    assertThat(source.reads).hasValue(2);
    assertThat(Jwts.decode(token, rotated.getPublic()).signatureValid()).isTrue();
  }

  @Test
  void forgetKey_afterGitHubRefusedAJwt_makesTheNextJwtReadTheKeyAgain() throws Exception {
    RotatingSource source = new RotatingSource();
    AppJwt jwt = new AppJwt(4242, source, clock);
    assertThat(jwt.forgetKey()).as("nothing to forget before the first JWT").isFalse();
    jwt.mint();
    java.security.KeyPair rotated = TestKeys.generate();
    source.pem = TestKeys.pkcs1Pem(rotated);

    assertThat(jwt.forgetKey()).isTrue();
    String token = jwt.mint();

    assertThat(source.reads).hasValue(2);
    assertThat(Jwts.decode(token, rotated.getPublic()).signatureValid()).isTrue();
  }

  @Test
  void current_servesOneJwtForAMinute_thenMintsAnother() throws Exception {
    AppJwt jwt = new AppJwt(4242, () -> GitHubTestBed.PEM, clock);

    String first = jwt.current();
    clock.advance(AppJwt.REUSE.minusSeconds(1));
    String again = jwt.current();
    clock.advance(java.time.Duration.ofSeconds(1));
    String next = jwt.current();

    assertThat(again).isEqualTo(first);
    assertThat(next).isNotEqualTo(first);
    Jwts.Decoded decoded = Jwts.decode(first, GitHubTestBed.KEYS.getPublic());
    assertThat(decoded.claims().path("exp").asLong())
        .as("still valid when last served")
        .isGreaterThan(NOW.plus(AppJwt.REUSE).getEpochSecond());
  }

  @Test
  void current_afterGitHubRefusedAJwt_mintsANewOneWithTheKeyReadAgain() throws Exception {
    RotatingSource source = new RotatingSource();
    AppJwt jwt = new AppJwt(4242, source, clock);
    String refused = jwt.current();
    java.security.KeyPair rotated = TestKeys.generate();
    source.pem = TestKeys.pkcs1Pem(rotated);

    jwt.forgetKey();
    String token = jwt.current();

    assertThat(token).isNotEqualTo(refused);
    assertThat(Jwts.decode(token, rotated.getPublic()).signatureValid()).isTrue();
  }
}
