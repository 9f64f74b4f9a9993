package dev.runfleet.emulators.edge;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An {@link SdkHttpClient} that hands each request to an {@link AwsEdge} in this JVM instead of
 * sending it over a socket: the real SDK clients, their marshalling, signing and retries intact,
 * without the cost of an HTTP client and server per call. The edge answers as its HTTP server would
 * ({@link AwsEdge#answer}).
 */
public final class EdgeHttpClient implements SdkHttpClient {

  private final AwsEdge edge;

  public EdgeHttpClient(AwsEdge edge) {
    this.edge = edge;
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() throws IOException {
        EdgeReply reply = edge.answer(toEdge(request));
        return HttpExecuteResponse.builder()
            .response(toSdk(reply))
            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(reply.body())))
            .build();
      }

      @Override
      public void abort() {
        // The edge answers on the caller's thread: there is no connection to give up.
      }
    };
  }

  private static EdgeRequest toEdge(HttpExecuteRequest request) throws IOException {
    SdkHttpRequest http = request.httpRequest();
    Map<String, String> headers = new HashMap<>();
    http.forEachHeader(
        (name, values) -> {
          if (!values.isEmpty()) {
            headers.put(name.toLowerCase(Locale.ROOT), values.get(0));
          }
        });
    byte[] body = new byte[0];
    if (request.contentStreamProvider().isPresent()) {
      try (InputStream in = request.contentStreamProvider().get().newStream()) {
        body = in.readAllBytes();
      }
    }
    return new EdgeRequest(http.method().name(), http.encodedPath(), headers, body);
  }

  private static SdkHttpResponse toSdk(EdgeReply reply) {
    SdkHttpResponse.Builder response =
        SdkHttpResponse.builder()
            .statusCode(reply.status())
            .putHeader("Content-Type", reply.contentType())
            .putHeader("Content-Length", Integer.toString(reply.body().length));
    reply.headers().forEach((name, value) -> response.putHeader(name, List.of(value)));
    return response.build();
  }

  @Override
  public String clientName() {
    return "RunfleetEdge";
  }

  @Override
  public void close() {
    // Nothing held: the edge's services belong to whoever built them.
  }
}
