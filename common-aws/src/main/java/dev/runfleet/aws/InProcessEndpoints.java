package dev.runfleet.aws;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Endpoints answered inside this JVM: the local runtime registers its emulators' edge here, and
 * every SDK client that {@link AwsClients} builds for that endpoint (each stage's Dagger module
 * builds its own) hands the request to the emulators without a socket, the SDK's marshalling,
 * signing, retries and timeouts intact. Only the local runtime registers one; where nothing is
 * registered (Lambda) every call goes over HTTP as before.
 */
public final class InProcessEndpoints {

  private static final Map<String, SdkHttpClient> BY_AUTHORITY = new ConcurrentHashMap<>();

  private InProcessEndpoints() {}

  /**
   * Answers calls to {@code endpoint} (scheme, host and port) with {@code client} until the
   * returned handle is closed.
   */
  public static AutoCloseable register(URI endpoint, SdkHttpClient client) {
    String authority = authority(endpoint.getScheme(), endpoint.getHost(), endpoint.getPort());
    if (BY_AUTHORITY.putIfAbsent(authority, client) != null) {
      throw new IllegalStateException(authority + " is already answered in this JVM");
    }
    return () -> BY_AUTHORITY.remove(authority, client);
  }

  /**
   * {@code overHttp}, or, when {@code settings} point at an endpoint override, a client that sends
   * each request to its endpoint's in-process client if one is registered and over HTTP otherwise.
   */
  static SdkHttpClient routing(AwsSettings settings, SdkHttpClient overHttp) {
    if (settings.endpointOverride().isEmpty() && settings.serviceEndpoints().isEmpty()) {
      return overHttp;
    }
    return new SdkHttpClient() {
      @Override
      public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        SdkHttpRequest http = request.httpRequest();
        SdkHttpClient inProcess =
            BY_AUTHORITY.get(authority(http.protocol(), http.host(), http.port()));
        return (inProcess != null ? inProcess : overHttp).prepareRequest(request);
      }

      @Override
      public String clientName() {
        return overHttp.clientName();
      }

      @Override
      public void close() {
        overHttp.close();
      }
    };
  }

  private static String authority(String scheme, String host, int port) {
    int effective = port > 0 ? port : "https".equals(scheme) ? 443 : 80;
    String loopback = "localhost".equals(host) ? "127.0.0.1" : host;
    return scheme + "://" + loopback + ":" + effective;
  }
}
