package dev.runfleet.local.setup;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Where GitHub is: the web address the browser visits and the REST API the CLI calls. github.com's
 * API is {@code https://api.github.com}; GitHub Enterprise Server's is {@code https://HOST/api/v3}.
 *
 * @param web {@code https://github.com} or {@code https://HOST}, without a trailing slash
 * @param api the REST API base, without a trailing slash
 */
public record GitHubEndpoints(URI web, URI api) {

  public static final URI GITHUB_COM = URI.create("https://github.com");
  private static final URI GITHUB_COM_API = URI.create("https://api.github.com");

  /**
   * @param web GitHub's address; https, or http on the loopback interface only
   * @param api an explicit API base (tests, unusual proxies), else derived from {@code web}
   */
  public static GitHubEndpoints of(URI web, Optional<URI> api) {
    URI base = withoutTrailingSlash(httpsOrLoopback("--github-url", web));
    if (base.getRawPath() != null && !base.getRawPath().isEmpty()) {
      throw new IllegalArgumentException(
          "--github-url must be https://github.com or https://HOST, without a path: " + web);
    }
    URI derived = isDotCom(base) ? GITHUB_COM_API : URI.create(base + "/api/v3");
    URI apiBase =
        api.map(a -> withoutTrailingSlash(httpsOrLoopback("--api-url", a))).orElse(derived);
    return new GitHubEndpoints(base, apiBase);
  }

  /** The App's own page. */
  public URI appPage(String slug) {
    return URI.create(web + appsPath() + slug);
  }

  /** Where the App is installed on accounts and repositories. */
  public URI installation(String slug) {
    return URI.create(web + appsPath() + slug + "/installations/new");
  }

  /** GitHub's "register a new App" form, which the manifest is posted to. */
  public URI newApp(AppOwner owner, String state) {
    return URI.create(web + owner.newAppPath() + "?state=" + state);
  }

  private String appsPath() {
    return isDotCom(web) ? "/apps/" : "/github-apps/";
  }

  private static boolean isDotCom(URI uri) {
    return "github.com".equalsIgnoreCase(uri.getHost());
  }

  /** https, or plain http to this machine only (tests, a local proxy). */
  public static URI httpsOrLoopback(String option, URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new IllegalArgumentException(option + " must be an absolute https URL, was " + uri);
    }
    if (scheme.equals("http") && !isLoopback(uri.getHost())) {
      throw new IllegalArgumentException(
          option + " must use https (http only for 127.0.0.1 or localhost), was " + uri);
    }
    if (uri.getRawUserInfo() != null) {
      // Not echoed: the user part may be a password.
      throw new IllegalArgumentException(option + " must not carry credentials");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          option + " must not have a query or a fragment, was " + uri);
    }
    return uri;
  }

  private static boolean isLoopback(String host) {
    return host.equals("127.0.0.1") || host.equalsIgnoreCase("localhost");
  }

  private static URI withoutTrailingSlash(URI uri) {
    String text = uri.toString();
    return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
  }
}
