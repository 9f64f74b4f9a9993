package dev.runfleet.local.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterTier;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.PutParameterRequest;
import software.amazon.awssdk.services.ssm.model.PutParameterResponse;
import software.amazon.awssdk.services.ssm.model.SsmException;

/** Tiers, types, order and error messages of the writes; the SSM API itself is in the flow test. */
class GitHubAppStoreTest {

  /** Records the requests; answers with {@code failure} when set. */
  private static final class RecordingSsm implements SsmClient {
    final List<PutParameterRequest> puts = new ArrayList<>();
    SsmException failure;

    @Override
    public PutParameterResponse putParameter(PutParameterRequest request) {
      if (failure != null) {
        throw failure;
      }
      puts.add(request);
      return PutParameterResponse.builder().version(1L).build();
    }

    @Override
    public String serviceName() {
      return SERVICE_NAME;
    }

    @Override
    public void close() {}
  }

  private static CreatedApp app(String pem) {
    return new CreatedApp(
        42,
        "runfleet-t",
        URI.create("https://github.com/apps/runfleet-t"),
        "o",
        pem,
        "hook-s3cret");
  }

  @Test
  void store_writesSecretsAsSecureStrings_andTheIdLast() throws Exception {
    RecordingSsm ssm = new RecordingSsm();

    new GitHubAppStore(ssm, "t").store(app("-----BEGIN KEY-----\nabc\n-----END KEY-----\n"), false);

    assertThat(ssm.puts)
        .extracting(PutParameterRequest::name, PutParameterRequest::type, PutParameterRequest::tier)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "/runfleet-github/t/private-key",
                ParameterType.SECURE_STRING,
                ParameterTier.STANDARD),
            org.assertj.core.groups.Tuple.tuple(
                "/runfleet-github/t/webhook-secret",
                ParameterType.SECURE_STRING,
                ParameterTier.STANDARD),
            org.assertj.core.groups.Tuple.tuple(
                "/runfleet-github/t/app-id", ParameterType.STRING, ParameterTier.STANDARD));
    assertThat(ssm.puts).allMatch(p -> !p.overwrite());
    assertThat(ssm.puts.get(2).value()).isEqualTo("42");
  }

  @Test
  void store_keyAboveFourKilobytes_goesToTheAdvancedTier() throws Exception {
    RecordingSsm ssm = new RecordingSsm();

    new GitHubAppStore(ssm, "t")
        .store(app("k".repeat(GitHubAppStore.STANDARD_TIER_MAX_BYTES + 1)), true);

    assertThat(ssm.puts.get(0).tier()).isEqualTo(ParameterTier.ADVANCED);
    assertThat(ssm.puts).allMatch(PutParameterRequest::overwrite);
  }

  @Test
  void store_refusedWrite_namesTheParameter_butNeverQuotesTheValue() {
    RecordingSsm ssm = new RecordingSsm();
    ssm.failure =
        (SsmException)
            SsmException.builder()
                .awsErrorDetails(
                    AwsErrorDetails.builder()
                        .errorCode("ValidationException")
                        .errorMessage(
                            "Value 'PEM-BODY-XYZ' at 'value' failed to satisfy constraint")
                        .build())
                .build();

    assertThatThrownBy(() -> new GitHubAppStore(ssm, "t").store(app("PEM-BODY-XYZ"), false))
        .isInstanceOf(GitHubAppStore.Failed.class)
        .hasMessageContaining("/runfleet-github/t/private-key")
        .hasMessageContaining("ValidationException")
        .hasMessageNotContaining("PEM-BODY-XYZ");
  }

  @Test
  void createdApp_toString_masksTheSecrets() {
    assertThat(app("PEM-BODY-XYZ").toString())
        .contains("runfleet-t")
        .doesNotContain("PEM-BODY-XYZ")
        .doesNotContain("hook-s3cret");
  }
}
