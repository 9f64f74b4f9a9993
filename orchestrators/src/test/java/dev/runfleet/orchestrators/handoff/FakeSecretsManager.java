package dev.runfleet.orchestrators.handoff;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DeleteSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsRequest;
import software.amazon.awssdk.services.secretsmanager.model.ListSecretsResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretListEntry;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.secretsmanager.model.TagResourceRequest;
import software.amazon.awssdk.services.secretsmanager.model.TagResourceResponse;

/**
 * Secrets Manager at its client interface (no emulator runs here without Docker): secrets by name,
 * AWS's exceptions for existing and missing names, tags, ListSecrets' case-insensitive name-prefix
 * filter, and scripted failures.
 */
public final class FakeSecretsManager implements SecretsManagerClient {

  public final Map<String, String> secrets = new HashMap<>();
  public final List<SdkRequest> requests = new ArrayList<>();
  public final Deque<RuntimeException> failures = new ArrayDeque<>();

  /** Tags by secret name, as CreateSecret and TagResource left them. */
  public final Map<String, Map<String, String>> tags = new HashMap<>();

  /** When each secret was created (its CreatedDate in listings). */
  public final Map<String, Instant> created = new HashMap<>();

  public static SecretsManagerException error(int status, String code) {
    return (SecretsManagerException)
        SecretsManagerException.builder()
            .statusCode(status)
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode(code).errorMessage(code + " (test)").build())
            .build();
  }

  /** Queue it in {@link #failures} to let one call succeed before the next scripted failure. */
  public static final RuntimeException NONE = new RuntimeException("no failure");

  private void maybeFail() {
    RuntimeException failure = failures.poll();
    if (failure != null && failure != NONE) {
      throw failure;
    }
  }

  @Override
  public synchronized CreateSecretResponse createSecret(CreateSecretRequest request) {
    requests.add(request);
    maybeFail();
    if (secrets.containsKey(request.name())) {
      throw ResourceExistsException.builder()
          .statusCode(400)
          .awsErrorDetails(
              AwsErrorDetails.builder()
                  .errorCode("ResourceExistsException")
                  .errorMessage("The operation failed because the secret already exists.")
                  .build())
          .build();
    }
    secrets.put(request.name(), request.secretString());
    created.put(request.name(), Instant.now());
    Map<String, String> secretTags = new HashMap<>();
    request.tags().forEach(t -> secretTags.put(t.key(), t.value()));
    tags.put(request.name(), secretTags);
    return CreateSecretResponse.builder().name(request.name()).build();
  }

  @Override
  public synchronized PutSecretValueResponse putSecretValue(PutSecretValueRequest request) {
    requests.add(request);
    maybeFail();
    secrets.put(request.secretId(), request.secretString());
    return PutSecretValueResponse.builder().name(request.secretId()).build();
  }

  @Override
  public synchronized DeleteSecretResponse deleteSecret(DeleteSecretRequest request) {
    requests.add(request);
    maybeFail();
    tags.remove(request.secretId());
    if (secrets.remove(request.secretId()) == null) {
      throw notFound();
    }
    return DeleteSecretResponse.builder().name(request.secretId()).build();
  }

  @Override
  public synchronized DescribeSecretResponse describeSecret(DescribeSecretRequest request) {
    requests.add(request);
    maybeFail();
    if (!secrets.containsKey(request.secretId())) {
      throw notFound();
    }
    return DescribeSecretResponse.builder().name(request.secretId()).build();
  }

  @Override
  public synchronized TagResourceResponse tagResource(TagResourceRequest request) {
    requests.add(request);
    maybeFail();
    if (!secrets.containsKey(request.secretId())) {
      throw notFound();
    }
    request.tags().forEach(t -> tags.get(request.secretId()).put(t.key(), t.value()));
    return TagResourceResponse.builder().build();
  }

  /**
   * Pages of {@code maxResults} matches (all of them without it), the next token being where the
   * next page starts: the paginator stops at a response without one.
   */
  @Override
  public synchronized ListSecretsResponse listSecrets(ListSecretsRequest request) {
    requests.add(request);
    maybeFail();
    List<String> prefixes =
        request.filters().stream()
            .filter(f -> f.keyAsString().equals("name"))
            .flatMap(f -> f.values().stream())
            .map(v -> v.toLowerCase(java.util.Locale.ROOT))
            .toList();
    List<SecretListEntry> entries =
        secrets.keySet().stream()
            .filter(
                name ->
                    prefixes.stream()
                        .allMatch(p -> name.toLowerCase(java.util.Locale.ROOT).startsWith(p)))
            .sorted()
            .map(
                name -> SecretListEntry.builder().name(name).createdDate(created.get(name)).build())
            .toList();
    int from = request.nextToken() == null ? 0 : Integer.parseInt(request.nextToken());
    int to =
        request.maxResults() == null
            ? entries.size()
            : Math.min(entries.size(), from + request.maxResults());
    return ListSecretsResponse.builder()
        .secretList(entries.subList(from, to))
        .nextToken(to < entries.size() ? Integer.toString(to) : null)
        .build();
  }

  private static ResourceNotFoundException notFound() {
    return (ResourceNotFoundException)
        ResourceNotFoundException.builder()
            .statusCode(400)
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode("ResourceNotFoundException")
                    .errorMessage("Secrets Manager can't find the specified secret.")
                    .build())
            .build();
  }

  /** The value of a secret's tag, or null. */
  public synchronized String tag(String name, String key) {
    return tags.getOrDefault(name, Map.of()).get(key);
  }

  @Override
  public String serviceName() {
    return "secretsmanager";
  }

  @Override
  public void close() {}
}
