package dev.runfleet.local.setup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The flow server's own rules; the whole flow through the CLI is in {@link SetupGitHubAppTest}. */
class ManifestFlowServerTest {

  private final AtomicInteger handled = new AtomicInteger();
  private ManifestFlowServer server;

  @BeforeEach
  void start() {
    server = ManifestFlowServer.bind(0);
    server.start(
        URI.create("https://github.com/organizations/o/settings/apps/new?state=" + server.state()),
        "{\"name\":\"a<b>&\\\"c'\"}",
        code -> {
          handled.incrementAndGet();
          return new ManifestFlowServer.Page(200, "ok", "done", Optional.empty());
        });
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** A raw request, so that the Host header is ours to choose. */
  private String get(String host, String path) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.uri().getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private String ownHost() {
    return "127.0.0.1:" + server.uri().getPort();
  }

  @Test
  void foreignHost_isRefused_andNeverSeesTheState() throws IOException {
    String answer = get("attacker.example:" + server.uri().getPort(), "/");

    assertThat(answer).startsWith("HTTP/1.1 421");
    assertThat(answer).doesNotContain(server.state());
    assertThat(get("attacker.example", "/callback?code=x&state=" + server.state()))
        .startsWith("HTTP/1.1 421");
    assertThat(handled).hasValue(0);
  }

  @Test
  void formPage_escapesTheManifest_andIsNeitherCachedNorFramed() throws IOException {
    String answer = get(ownHost(), "/");

    assertThat(answer).startsWith("HTTP/1.1 200");
    assertThat(answer)
        .contains("value=\"{&quot;name&quot;:&quot;a&lt;b&gt;&amp;\\&quot;c&apos;&quot;}\"");
    assertThat(answer).containsIgnoringCase("Cache-Control: no-store");
    assertThat(answer).containsIgnoringCase("X-Frame-Options: DENY");
    assertThat(answer).containsIgnoringCase("Referrer-Policy: no-referrer");
  }

  @Test
  void callback_isHandledOnce() throws IOException {
    assertThat(get(ownHost(), "/callback?code=abc&state=" + server.state()))
        .startsWith("HTTP/1.1 200");
    assertThat(get(ownHost(), "/callback?code=abc&state=" + server.state()))
        .startsWith("HTTP/1.1 409");
    assertThat(handled).hasValue(1);
    assertThat(server.isDone()).isTrue();
  }

  @Test
  void callbackWithoutState_isRefused_andTheFlowGoesOn() throws IOException {
    assertThat(get(ownHost(), "/callback?code=abc")).startsWith("HTTP/1.1 400");
    assertThat(get(ownHost(), "/elsewhere")).startsWith("HTTP/1.1 404");
    assertThat(handled).hasValue(0);
    assertThat(server.isDone()).isFalse();
  }
}
