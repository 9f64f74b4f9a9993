package dev.runfleet.aws;

import dev.runfleet.common.json.Json;
import dev.runfleet.common.json.JsonObject;
import dev.runfleet.common.retry.FullJitter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * The three SSM operations the functions call — GetParameter, GetParametersByPath, PutParameter —
 * as SigV4-signed AWS JSON 1.1 requests over the process's one SDK HTTP client, instead of the SSM
 * SDK client (5 MB of model classes in every jar that carried it, and 0.4 s to build at cold
 * start).
 *
 * <p>Failures read as the SDK's would: AWS's answer as an {@link AwsServiceException} with its
 * error code and message (so {@link AwsErrors} and {@code isThrottlingException} work unchanged),
 * no answer as an {@link SdkClientException}. Throttling, 5xx and network failures are tried up to
 * {@value #ATTEMPTS} times with jittered backoff, within the call timeout. Request bodies (which
 * may hold a value) never reach an exception message.
 */
public final class SsmParameters implements ParameterStore {

  static final int ATTEMPTS = 3;
  private static final String JSON_1_1 = "application/x-amz-json-1.1";

  private final SdkHttpClient http;
  private final AwsCredentialsProvider credentials;
  private final URI endpoint;
  private final String region;
  private final Duration callTimeout;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  SsmParameters(
      SdkHttpClient http,
      AwsCredentialsProvider credentials,
      URI endpoint,
      String region,
      Duration callTimeout) {
    this.http = Objects.requireNonNull(http, "http");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.region = Objects.requireNonNull(region, "region");
    this.callTimeout = Objects.requireNonNull(callTimeout, "callTimeout");
  }

  /** Parameter Store as {@code clients} reach it: their HTTP client, endpoint and credentials. */
  public static SsmParameters using(AwsClients clients) {
    AwsSettings settings = clients.settings();
    String region = settings.region();
    URI endpoint =
        settings
            .endpointFor("ssm")
            .orElseGet(
                () ->
                    URI.create(
                        "https://ssm."
                            + region
                            + (region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com")));
    return new SsmParameters(
        clients.httpClient(),
        clients.credentials("ssm"),
        endpoint,
        region,
        settings.apiCallTimeout());
  }

  @Override
  public Optional<String> get(String name, boolean decrypt) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("Name", name);
    request.put("WithDecryption", decrypt);
    try {
      return Optional.of(call("GetParameter", request).object("Parameter").asText("Value"));
    } catch (AwsServiceException e) {
      if ("ParameterNotFound".equals(AwsErrors.code(e))) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public Map<String, String> getByPath(String path) {
    Map<String, String> values = new LinkedHashMap<>();
    String next = null;
    do {
      Map<String, Object> request = new LinkedHashMap<>();
      request.put("Path", path);
      request.put("Recursive", true);
      request.put("WithDecryption", true);
      if (next != null) {
        request.put("NextToken", next);
      }
      JsonObject page = call("GetParametersByPath", request);
      for (Object item : page.items("Parameters")) {
        JsonObject p = JsonObject.orEmpty(item);
        values.put(p.asText("Name"), p.asText("Value"));
      }
      next = page.get("NextToken") != null ? Json.asText(page.get("NextToken")) : null;
    } while (next != null);
    return values;
  }

  @Override
  public void putString(String name, String value) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("Name", name);
    request.put("Value", value);
    request.put("Type", "String");
    request.put("Overwrite", true);
    call("PutParameter", request);
  }

  private JsonObject call(String operation, Map<String, Object> request) {
    byte[] body = Json.bytes(request);
    long deadline = System.nanoTime() + callTimeout.toNanos();
    for (int attempt = 1; ; attempt++) {
      try {
        return attempt(operation, body);
      } catch (SdkException e) {
        boolean throttled = e instanceof AwsServiceException s && s.isThrottlingException();
        long backoff = backoffMillis(attempt, throttled);
        if (attempt >= ATTEMPTS
            || !AwsErrors.isTransient(e, java.util.Set.of())
            || System.nanoTime() + backoff * 1_000_000 >= deadline) {
          throw e;
        }
        pause(backoff, e);
      }
    }
  }

  /** The project's one retry wait ({@link FullJitter}); throttling backs off from a higher base. */
  private static long backoffMillis(int attempt, boolean throttled) {
    return FullJitter.delay(
            Duration.ofMillis(throttled ? 500 : 100), Duration.ofSeconds(2), attempt)
        .toMillis();
  }

  private static void pause(long millis, SdkException cause) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw cause;
    }
  }

  private JsonObject attempt(String operation, byte[] body) {
    SdkHttpRequest request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.POST)
            .uri(endpoint)
            .encodedPath(
                endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty()
                    ? "/"
                    : endpoint.getRawPath())
            .putHeader("Content-Type", JSON_1_1)
            .putHeader("X-Amz-Target", "AmazonSSM." + operation)
            .putHeader("Content-Length", Integer.toString(body.length))
            .build();
    SignedRequest signed;
    try {
      signed =
          signer.sign(
              r ->
                  r.identity(credentials.resolveCredentials())
                      .request(request)
                      .payload(ContentStreamProvider.fromByteArray(body))
                      .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ssm")
                      .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    } catch (RuntimeException e) {
      throw SdkClientException.create("SSM " + operation + ": cannot sign the request", e);
    }
    int status;
    String requestId;
    byte[] answer;
    try {
      HttpExecuteResponse response =
          http.prepareRequest(
                  HttpExecuteRequest.builder()
                      .request(signed.request())
                      .contentStreamProvider(signed.payload().orElse(null))
                      .build())
              .call();
      status = response.httpResponse().statusCode();
      requestId = response.httpResponse().firstMatchingHeader("x-amzn-RequestId").orElse(null);
      answer = response.responseBody().map(SsmParameters::readAll).orElse(new byte[0]);
    } catch (IOException | UncheckedIOException e) {
      throw SdkClientException.builder()
          .message("SSM " + operation + " unreachable at " + endpoint + ": " + e)
          .cause(e)
          .build();
    }
    JsonObject json = parse(answer);
    if (status / 100 == 2) {
      if (json == null) {
        throw SdkClientException.create(
            "SSM " + operation + " answered HTTP " + status + " without JSON");
      }
      return json;
    }
    json = json == null ? JsonObject.empty() : json;
    String type = json.asText("__type", status >= 500 ? "InternalServerError" : "HTTP " + status);
    String code = type.substring(Math.max(type.lastIndexOf('#'), type.lastIndexOf(':')) + 1);
    String message = json.asText("message", json.asText("Message", ""));
    throw AwsServiceException.builder()
        .message(code + ": " + message + " (SSM " + operation + ", HTTP " + status + ")")
        .statusCode(status)
        .requestId(requestId)
        .awsErrorDetails(
            AwsErrorDetails.builder()
                .errorCode(code)
                .errorMessage(message)
                .serviceName("Ssm")
                .build())
        .build();
  }

  /** The answer's JSON, or null when it is none (a proxy's error page; its body is not echoed). */
  private static JsonObject parse(byte[] answer) {
    try {
      return JsonObject.of(Json.read(answer));
    } catch (IOException e) {
      return null;
    }
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
