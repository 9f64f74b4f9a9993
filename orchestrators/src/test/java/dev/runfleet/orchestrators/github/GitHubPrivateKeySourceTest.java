package dev.runfleet.orchestrators.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runfleet.aws.ParameterStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

class GitHubPrivateKeySourceTest {

  private static final String SECRET_ARN =
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:runfleet/github-app-key-AbCdEf";
  private static final String PARAMETER_ARN =
      "arn:aws:ssm:eu-west-1:123456789012:parameter/runfleet/github-app-key";

  /** A Secrets Manager client answering GetSecretValue from a script; all else is unsupported. */
  private static final class FakeSecretsManager implements SecretsManagerClient {
    final List<GetSecretValueRequest> requests = new ArrayList<>();
    final List<Supplier<GetSecretValueResponse>> answers = new ArrayList<>();

    @Override
    public GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
      requests.add(request);
      return answers.get(Math.min(requests.size(), answers.size()) - 1).get();
    }

    @Override
    public String serviceName() {
      return "secretsmanager";
    }

    @Override
    public void close() {}
  }

  /** Parameter Store answering with a SecureString; all else is unsupported. */
  private static final class FakeSsm implements ParameterStore {
    record Read(String name, boolean decrypt) {}

    final List<Read> requests = new ArrayList<>();

    @Override
    public Optional<String> get(String name, boolean decrypt) {
      requests.add(new Read(name, decrypt));
      return Optional.of(decrypt ? GitHubTestBed.PEM : "AQICAHh-ciphertext");
    }

    @Override
    public Map<String, String> getByPath(String path) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void putString(String name, String value) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void fromArn_secretArn_readsTheSecretOnEveryCall_keepingNoCopy() {
    FakeSecretsManager secrets = new FakeSecretsManager();
    secrets.answers.add(
        () ->
            GetSecretValueResponse.builder()
                .arn(SECRET_ARN)
                .secretString(GitHubTestBed.PEM)
                .build());
    AtomicInteger ssmBuilt = new AtomicInteger();

    PrivateKeySource source =
        PrivateKeySource.fromArn(
            SECRET_ARN,
            () -> secrets,
            () -> {
              ssmBuilt.incrementAndGet();
              return new FakeSsm();
            });

    assertThat(source).isInstanceOf(SecretsManagerPrivateKey.class);
    assertThat(source.pem()).isEqualTo(GitHubTestBed.PEM);
    assertThat(source.pem()).isEqualTo(GitHubTestBed.PEM);
    assertThat(secrets.requests).hasSize(2);
    assertThat(secrets.requests.get(0).secretId()).isEqualTo(SECRET_ARN);
    assertThat(ssmBuilt).hasValue(0);
  }

  @Test
  void fromArn_parameterArn_readsTheDecryptedValueOnEveryCall() {
    FakeSsm ssm = new FakeSsm();

    PrivateKeySource source =
        PrivateKeySource.fromArn(
            PARAMETER_ARN,
            () -> {
              throw new AssertionError("no Secrets Manager client for an SSM key");
            },
            () -> ssm);

    assertThat(source).isInstanceOf(SsmPrivateKey.class);
    assertThat(source.pem()).isEqualTo(GitHubTestBed.PEM);
    assertThat(source.pem()).isEqualTo(GitHubTestBed.PEM);
    assertThat(ssm.requests).hasSize(2);
    assertThat(ssm.requests.get(0).name()).isEqualTo(PARAMETER_ARN);
    assertThat(ssm.requests.get(0).decrypt()).isTrue();
  }

  @Test
  void fromArn_inOtherPartition_picksByService() {
    assertThat(
            PrivateKeySource.fromArn(
                "arn:aws-us-gov:ssm:us-gov-west-1:123456789012:parameter/key",
                FakeSecretsManager::new,
                FakeSsm::new))
        .isInstanceOf(SsmPrivateKey.class);
  }

  @Test
  void fromArn_otherService_isRefused() {
    assertThatThrownBy(
            () ->
                PrivateKeySource.fromArn(
                    "arn:aws:s3:::bucket/key.pem", FakeSecretsManager::new, FakeSsm::new))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Secrets Manager or SSM");
    assertThatThrownBy(
            () -> PrivateKeySource.fromArn("runfleet/key", FakeSecretsManager::new, FakeSsm::new))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an ARN");
  }

  @Test
  void pem_whenThrottled_isRetryableAndFetchesAgain() {
    FakeSecretsManager secrets = new FakeSecretsManager();
    secrets.answers.add(
        () -> {
          throw SecretsManagerException.builder()
              .statusCode(400)
              .awsErrorDetails(
                  AwsErrorDetails.builder()
                      .errorCode("ThrottlingException")
                      .errorMessage("Rate exceeded")
                      .build())
              .build();
        });
    secrets.answers.add(
        () -> GetSecretValueResponse.builder().secretString(GitHubTestBed.PEM).build());
    SecretsManagerPrivateKey source = new SecretsManagerPrivateKey(secrets, SECRET_ARN);

    assertThatThrownBy(source::pem)
        .isInstanceOfSatisfying(
            PrivateKeySource.Unavailable.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("ThrottlingException");
    assertThat(source.pem()).isEqualTo(GitHubTestBed.PEM);
    assertThat(secrets.requests).hasSize(2);
  }

  @Test
  void pem_whenSecretMissing_isNotRetryable() {
    FakeSecretsManager secrets = new FakeSecretsManager();
    secrets.answers.add(
        () -> {
          throw ResourceNotFoundException.builder()
              .statusCode(400)
              .awsErrorDetails(
                  AwsErrorDetails.builder().errorCode("ResourceNotFoundException").build())
              .build();
        });

    assertThatThrownBy(new SecretsManagerPrivateKey(secrets, SECRET_ARN)::pem)
        .isInstanceOfSatisfying(
            PrivateKeySource.Unavailable.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining(SECRET_ARN)
        .hasMessageContaining("ResourceNotFoundException");
  }

  @Test
  void pem_whenNetworkFails_isRetryable() {
    FakeSecretsManager secrets = new FakeSecretsManager();
    secrets.answers.add(
        () -> {
          throw SdkClientException.create("Unable to execute HTTP request: connect timed out");
        });

    assertThatThrownBy(new SecretsManagerPrivateKey(secrets, SECRET_ARN)::pem)
        .isInstanceOfSatisfying(
            PrivateKeySource.Unavailable.class, e -> assertThat(e.retryable()).isTrue());
  }

  @Test
  void pem_whenSecretIsBinary_isNotRetryable() {
    FakeSecretsManager secrets = new FakeSecretsManager();
    secrets.answers.add(
        () -> GetSecretValueResponse.builder().secretBinary(SdkBytes.fromUtf8String("x")).build());

    assertThatThrownBy(new SecretsManagerPrivateKey(secrets, SECRET_ARN)::pem)
        .isInstanceOfSatisfying(
            PrivateKeySource.Unavailable.class, e -> assertThat(e.retryable()).isFalse())
        .hasMessageContaining("SecretString");
  }

  @Test
  void secretsManagerKey_signsJwtsThroughTheClient() throws Exception {
    FakeSecretsManager secrets = new FakeSecretsManager();
    secrets.answers.add(
        () -> GetSecretValueResponse.builder().secretString(GitHubTestBed.PEM).build());
    AppJwt jwt =
        new AppJwt(4242, new SecretsManagerPrivateKey(secrets, SECRET_ARN), Clock.systemUTC());

    assertThat(Jwts.decode(jwt.mint(), GitHubTestBed.KEYS.getPublic()).signatureValid()).isTrue();
  }
}
