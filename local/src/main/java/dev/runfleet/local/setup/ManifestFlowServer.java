package dev.runfleet.local.setup;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.runfleet.emulators.Markup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The browser's side of GitHub's App manifest flow, served on 127.0.0.1 only:
 *
 * <ul>
 *   <li>{@code GET /} — a page that posts the manifest to GitHub's "new App" form, with a random
 *       {@code state};
 *   <li>{@code GET /callback?code=…&state=…} — where GitHub sends the browser back. A state that
 *       does not match (compared in constant time) is answered 400 and the flow keeps waiting; the
 *       first matching one hands the code to the {@link CodeHandler}, whose page ends the flow.
 * </ul>
 *
 * Requests whose Host is not this server's loopback address are refused, so a web page that rebinds
 * a name of its own to 127.0.0.1 can neither read the state nor call back.
 */
public final class ManifestFlowServer implements AutoCloseable {

  /** Turns the one-time code into the page the browser is shown last. Called at most once. */
  @FunctionalInterface
  public interface CodeHandler {
    Page handle(String code);
  }

  /**
   * A page for the browser: plain text, escaped when rendered.
   *
   * @param link where to go next, if anywhere
   */
  public record Page(int status, String title, String text, Optional<URI> link) {}

  private final HttpServer server;
  private final String state;
  private final AtomicBoolean claimed = new AtomicBoolean();
  private final CountDownLatch done = new CountDownLatch(1);

  private volatile String formPage;
  private volatile CodeHandler handler;

  private ManifestFlowServer(HttpServer server, String state) {
    this.server = server;
    this.state = state;
  }

  /** Listens on 127.0.0.1:{@code port} (0: any free port); {@link #start} serves. */
  public static ManifestFlowServer bind(int port) {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String state = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
    }
    // No executor: requests are handled one at a time on the server's own thread, enough for one
    // browser, and the conversion is never run twice at once.
    return new ManifestFlowServer(server, state);
  }

  /** The page to open: {@code http://127.0.0.1:PORT/}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** The manifest's {@code redirect_url}. */
  public URI callbackUri() {
    return uri().resolve("/callback");
  }

  /** The random value GitHub must send back; part of the "new App" form's address. */
  public String state() {
    return state;
  }

  /**
   * Serves the flow.
   *
   * @param newAppForm GitHub's "new App" address, with {@code ?state=}
   * @param manifest the manifest JSON
   */
  public void start(URI newAppForm, String manifest, CodeHandler codeHandler) {
    this.formPage = formPage(newAppForm, manifest);
    this.handler = codeHandler;
    server.createContext("/", this::handle);
    server.start();
  }

  /** Waits for the callback to be handled; false when {@code timeout} passed first. */
  public boolean awaitDone(Duration timeout) throws InterruptedException {
    return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean isDone() {
    return done.getCount() == 0;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    boolean answered = false;
    try (exchange) {
      if (!isOwnHost(exchange.getRequestHeaders().getFirst("Host"))) {
        send(exchange, page(421, "Wrong address", "Open " + uri() + " instead.", null));
        return;
      }
      if (!"GET".equals(exchange.getRequestMethod())) {
        send(exchange, page(405, "Not allowed", "Only GET is served here.", null));
        return;
      }
      switch (exchange.getRequestURI().getPath()) {
        case "/" -> send(exchange, new Rendered(200, formPage));
        case "/callback" -> {
          Optional<String> code = claim(exchange);
          if (code.isPresent()) {
            answered = true;
            Page last = handler.handle(code.get());
            send(
                exchange, page(last.status(), last.title(), last.text(), last.link().orElse(null)));
          }
        }
        default -> send(exchange, page(404, "Not found", "Open " + uri() + " to start.", null));
      }
    } finally {
      // Only once the last page is sent and closed: the flow's end stops this server.
      if (answered) {
        done.countDown();
      }
    }
  }

  /**
   * The code, when this callback carries the right state and is the first to; otherwise answers the
   * browser itself.
   */
  private Optional<String> claim(HttpExchange exchange) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    if (!stateMatches(query.get("state"))) {
      send(
          exchange,
          page(
              400,
              "Not from this setup",
              "This answer does not carry the state this runfleet setup sent to GitHub; it is"
                  + " ignored and the setup keeps waiting. Start from "
                  + uri(),
              null));
      return Optional.empty();
    }
    if (!claimed.compareAndSet(false, true)) {
      send(exchange, page(409, "Already handled", "This setup has already had its answer.", null));
      return Optional.empty();
    }
    return Optional.of(query.getOrDefault("code", ""));
  }

  private boolean stateMatches(String candidate) {
    return candidate != null
        && MessageDigest.isEqual(
            candidate.getBytes(StandardCharsets.UTF_8), state.getBytes(StandardCharsets.UTF_8));
  }

  private boolean isOwnHost(String host) {
    int port = server.getAddress().getPort();
    return ("127.0.0.1:" + port).equals(host) || ("localhost:" + port).equalsIgnoreCase(host);
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.putIfAbsent(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private record Rendered(int status, String html) {}

  private static String formPage(URI newAppForm, String manifest) {
    return html(
        "runfleet: register the GitHub App",
        "<h1>Register runfleet's GitHub App</h1>\n"
            + "<p>This page sends runfleet's App manifest to "
            + Markup.escape(newAppForm.getScheme() + "://" + newAppForm.getAuthority())
            + ". GitHub shows the App for you to confirm, then sends you back here.</p>\n"
            + "<form method=\"post\" action=\""
            + Markup.escape(newAppForm.toString())
            + "\">\n<input type=\"hidden\" name=\"manifest\" value=\""
            + Markup.escape(manifest)
            + "\">\n<button type=\"submit\">Continue to GitHub</button>\n</form>\n"
            + "<script>document.forms[0].submit();</script>\n");
  }

  private static Rendered page(int status, String title, String text, URI link) {
    String body = "<h1>" + Markup.escape(title) + "</h1>\n<p>" + Markup.escape(text) + "</p>\n";
    if (link != null) {
      body +=
          "<p><a href=\""
              + Markup.escape(link.toString())
              + "\">"
              + Markup.escape(link.toString())
              + "</a></p>\n";
    }
    return new Rendered(status, html("runfleet: " + title, body));
  }

  private static String html(String title, String body) {
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
        + Markup.escape(title)
        + "</title></head>\n<body>\n"
        + body
        + "</body></html>\n";
  }

  private static void send(HttpExchange exchange, Rendered page) throws IOException {
    byte[] bytes = page.html().getBytes(StandardCharsets.UTF_8);
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", "text/html; charset=utf-8");
    headers.set("Cache-Control", "no-store");
    // The callback's address holds the one-time code: never pass it on as a referrer.
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("X-Frame-Options", "DENY");
    headers.set(
        "Content-Security-Policy",
        "default-src 'none'; script-src 'unsafe-inline'; frame-ancestors 'none'");
    exchange.sendResponseHeaders(page.status(), bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
