package dev.runfleet.local.setup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The last step of GitHub's App manifest flow: {@code POST /app-manifests/{code}/conversions}
 * trades the one-time code (valid for one hour, once) for the new App's id, private key and webhook
 * secret. The call needs no authentication: the code is the credential. It is made once, never
 * retried: a second try after a lost answer could only be refused, the code being spent.
 */
public final class ManifestConversion {

  /** Why the code bought nothing, in words an operator can act on. Never holds a secret. */
  public static final class Failed extends Exception {
    Failed(String message) {
      super(message);
    }
  }

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /** GitHub's codes are short hex strings; anything else never reaches a URL. */
  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{1,200}");

  private static final int MAX_MESSAGE_LENGTH = 300;

  private final HttpClient http;
  private final URI api;
  private final ObjectMapper json = new ObjectMapper();

  public ManifestConversion(URI api) {
    this(
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build(),
        api);
  }

  ManifestConversion(HttpClient http, URI api) {
    this.http = http;
    this.api = api;
  }

  static boolean isWellFormed(String code) {
    return code != null && CODE.matcher(code).matches();
  }

  /** Trades {@code code} for the App; {@link Failed} says why not. */
  public CreatedApp convert(String code) throws Failed, InterruptedException {
    if (!isWellFormed(code)) {
      throw new Failed("the code GitHub sent back is malformed");
    }
    URI uri = URI.create(api + "/app-manifests/" + code + "/conversions");
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", "application/vnd.github+json")
            .header("X-GitHub-Api-Version", "2022-11-28")
            .header("User-Agent", "runfleet")
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Failed(
          "cannot reach GitHub's API at "
              + api
              + " ("
              + e.getClass().getSimpleName()
              + "); the code may still be unused for up to an hour, but this run has ended:"
              + " start again");
    }
    int status = response.statusCode();
    return switch (status) {
      case 201 -> parse(response.body());
      case 404 ->
          throw new Failed(
              "GitHub does not know this code (HTTP 404): it expired (codes live one hour) or was"
                  + " already used. Start again; if GitHub created an App anyway, delete it in its"
                  + " settings first or choose another --name");
      case 422 ->
          throw new Failed(
              "GitHub refused the code (HTTP 422"
                  + message(response.body())
                  + "): it expired or was already used. Start again");
      default ->
          throw new Failed(
              "GitHub answered HTTP " + status + message(response.body()) + " to the conversion");
    };
  }

  private CreatedApp parse(String body) throws Failed {
    JsonNode app;
    try {
      app = json.readTree(body);
    } catch (IOException e) {
      throw new Failed("GitHub's answer to the conversion is not JSON");
    }
    long id = app.path("id").asLong(0);
    String slug = app.path("slug").asText("");
    String pem = app.path("pem").asText("");
    String secret = app.path("webhook_secret").asText("");
    if (id <= 0 || slug.isEmpty() || pem.isEmpty() || secret.isEmpty()) {
      // Names only: the answer holds secrets.
      throw new Failed(
          "GitHub's answer to the conversion lacks one of id, slug, pem, webhook_secret");
    }
    URI html;
    try {
      html = URI.create(app.path("html_url").asText(""));
    } catch (IllegalArgumentException e) {
      html = URI.create("");
    }
    return new CreatedApp(
        id,
        slug,
        html.isAbsolute() ? html : null,
        app.path("owner").path("login").asText(""),
        pem,
        secret);
  }

  /** GitHub's error message, if its answer has one; error answers hold no secret. */
  private String message(String body) {
    try {
      String message = json.readTree(body).path("message").asText("");
      if (message.isEmpty()) {
        return "";
      }
      return ": "
          + (message.length() > MAX_MESSAGE_LENGTH
              ? message.substring(0, MAX_MESSAGE_LENGTH) + "…"
              : message);
    } catch (IOException e) {
      return "";
    }
  }
}
