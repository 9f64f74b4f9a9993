package dev.runfleet.orchestrators.handoff;

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
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Secrets Manager at its client interface (no emulator runs here without Docker): secrets by name,
 * AWS's exceptions for existing and missing names, and scripted failures.
 */
public final class FakeSecretsManager implements SecretsManagerClient {

  public final Map<String, String> secrets = new HashMap<>();
  public final List<SdkRequest> requests = new ArrayList<>();
  public final Deque<RuntimeException> failures = new ArrayDeque<>();

  public static SecretsManagerException error(int status, String code) {
    return (SecretsManagerException)
        SecretsManagerException.builder()
            .statusCode(status)
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode(code).errorMessage(code + " (test)").build())
            .build();
  }

  private void maybeFail() {
    RuntimeException failure = failures.poll();
    if (failure != null) {
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
    if (secrets.remove(request.secretId()) == null) {
      throw ResourceNotFoundException.builder()
          .statusCode(400)
          .awsErrorDetails(
              AwsErrorDetails.builder()
                  .errorCode("ResourceNotFoundException")
                  .errorMessage("Secrets Manager can't find the specified secret.")
                  .build())
          .build();
    }
    return DeleteSecretResponse.builder().name(request.secretId()).build();
  }

  @Override
  public String serviceName() {
    return "secretsmanager";
  }

  @Override
  public void close() {}
}
