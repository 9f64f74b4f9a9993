package dev.runfleet.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.emulators.edge.EdgeServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The local server's own failure answers. Surefire sets the JDK's request deadline to 2 s for this
 * module (local/pom.xml); the runtime sets {@link EdgeServer#MAX_REQUEST_SECONDS} otherwise.
 */
class LocalHttpTest {

  /** More than the server's 32 threads. */
  private static final int STALLED_CLIENTS = 40;

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Socket> stalled = new ArrayList<>();
  private LocalHttp http;

  @BeforeEach
  void start() {
    // No runtime and no edge: what needs them fails, which is what the 500 test wants.
    http = LocalHttp.start(0, null, null);
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket socket : stalled) {
      socket.close();
    }
    http.close();
  }

  @Test
  void request_beforeTheRuntimeIsReady_isAnswered503Starting_notA500FromHalfBuiltState()
      throws Exception {
    HttpResponse<String> response = get("/api/jobs");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).contains("1");
    assertThat(response.body()).contains("starting");
  }

  @Test
  void request_whenTheHandlerThrows_isAnswered500() throws Exception {
    http.ready();
    HttpResponse<String> response = get("/api/jobs");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("internal error");
  }

  @Test
  @Timeout(30)
  void request_afterMoreStalledClientsThanThreads_isAnswered() throws Exception {
    int port = http.baseUri().getPort();
    for (int i = 0; i < STALLED_CLIENTS; i++) {
      Socket socket = new Socket("127.0.0.1", port);
      stalled.add(socket);
      OutputStream out = socket.getOutputStream();
      // Headers promising a body that never comes: reading it holds a thread.
      out.write(
          ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n\r\n{")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
    }

    // A path answered without a runtime: the server itself still takes requests.
    http.ready();
    HttpResponse<String> response = get("/no-such-resource");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(System.getProperty(EdgeServer.MAX_REQUEST_TIME_PROPERTY)).isEqualTo("2");
  }

  @Test
  void configureJdkServers_keepsADeadlineSetBeforeIt() {
    EdgeServer.configureJdkServers();

    assertThat(System.getProperty(EdgeServer.MAX_REQUEST_TIME_PROPERTY)).isEqualTo("2");
  }

  private HttpResponse<String> get(String path) throws Exception {
    URI uri = http.baseUri().resolve(path);
    return client.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
