package dev.runfleet.local.setup;

import dev.runfleet.common.config.GitHubAppParameters;
import java.awt.Desktop;
import java.awt.GraphicsEnvironment;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code runfleet setup github-app}: registers runfleet's GitHub App through GitHub's App manifest
 * flow and keeps its id, webhook secret and private key in SSM under {@link GitHubAppParameters}.
 *
 * <p>Refuses before starting when the parameters exist, unless told to overwrite. Serves {@link
 * ManifestFlowServer} until GitHub's callback is handled or the timeout passes, and always stops
 * it. The secrets go from GitHub's answer straight to SSM: they are never printed, logged or put in
 * a message.
 */
public final class GitHubAppSetup {

  /**
   * What to register and where to keep it.
   *
   * @param port the flow server's port on 127.0.0.1; 0 for any free port
   * @param timeout how long to wait for GitHub's callback
   * @param overwrite replace existing parameters
   * @param openBrowser also try to open the page in a browser (it is always printed)
   */
  public record Request(
      AppManifest manifest,
      GitHubEndpoints github,
      String stage,
      int port,
      Duration timeout,
      boolean overwrite,
      boolean openBrowser) {}

  private final GitHubAppStore store;
  private final ManifestConversion conversion;
  private final PrintWriter out;
  private final PrintWriter err;

  /** The outcome of the callback, set once by the flow server's thread. */
  private volatile CreatedApp created;

  private volatile String failure;

  public GitHubAppSetup(
      GitHubAppStore store, ManifestConversion conversion, PrintWriter out, PrintWriter err) {
    this.store = store;
    this.conversion = conversion;
    this.out = out;
    this.err = err;
  }

  /** Runs the flow; the exit code: 0 stored, 1 refused, failed or timed out. */
  public int run(Request request) throws InterruptedException {
    if (!request.overwrite()) {
      List<String> existing;
      try {
        existing = store.existing();
      } catch (GitHubAppStore.Failed e) {
        err.println("setup github-app: " + e.getMessage());
        return 1;
      }
      if (!existing.isEmpty()) {
        err.println(
            "setup github-app: "
                + String.join(", ", existing)
                + " already exist; --force replaces them with a new App's (the old App keeps"
                + " working until you delete it)");
        return 1;
      }
    }
    try (ManifestFlowServer server = ManifestFlowServer.bind(request.port())) {
      Thread stop = new Thread(() -> interrupted(server), "setup-github-app-stop");
      Runtime.getRuntime().addShutdownHook(stop);
      try {
        server.start(
            request.github().newApp(request.manifest().owner(), server.state()),
            request.manifest().json(server.callbackUri()),
            code -> complete(code, request));
        out.printf(
            "Open %s in a browser on this machine to register the GitHub App '%s' for %s on %s.%n"
                + "Waiting up to %s for GitHub (Ctrl-C stops).%n",
            server.uri(),
            request.manifest().name(),
            request.manifest().owner(),
            request.github().web(),
            describe(request.timeout()));
        out.flush();
        if (request.openBrowser()) {
          openBrowser(server.uri());
        }
        if (!server.awaitDone(request.timeout())) {
          err.println(
              "setup github-app: no answer from GitHub within "
                  + describe(request.timeout())
                  + "; nothing stored");
          return 1;
        }
      } finally {
        removeHook(stop);
      }
    }
    if (created == null) {
      err.println("setup github-app: " + (failure != null ? failure : "failed; nothing stored"));
      return 1;
    }
    report(created, request);
    return 0;
  }

  /** The callback's work: the code for the App, the App into SSM, and the browser's last page. */
  private ManifestFlowServer.Page complete(String code, Request request) {
    CreatedApp app;
    try {
      app = conversion.convert(code);
    } catch (ManifestConversion.Failed e) {
      return failed(e.getMessage(), Optional.empty());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(
          "interrupted while GitHub converted the code; nothing stored", Optional.empty());
    } catch (RuntimeException e) {
      // Unexpected: name the kind only, a message could quote GitHub's answer, which holds secrets.
      return failed(
          "reading GitHub's answer failed (" + e.getClass().getSimpleName() + "); nothing stored",
          Optional.empty());
    }
    URI page = appPage(app, request.github());
    try {
      store.store(app, request.overwrite());
    } catch (GitHubAppStore.Failed e) {
      return failed(
          "the App "
              + app.slug()
              + " (id "
              + app.id()
              + ") was created on GitHub, but its credentials could not be stored: "
              + e.getMessage()
              + ". Delete the App on its page (Advanced → Delete) and run this again, with"
              + " --force if some parameters were written",
          Optional.of(page));
    } catch (RuntimeException e) {
      // Unexpected: name the kind only, a message could quote what was being written.
      return failed(
          "the App "
              + app.slug()
              + " was created on GitHub, but storing its credentials failed ("
              + e.getClass().getSimpleName()
              + "). Delete the App on its page and run this again with --force",
          Optional.of(page));
    }
    created = app;
    return new ManifestFlowServer.Page(
        200,
        "GitHub App " + app.slug() + " registered",
        "Its id, webhook secret and private key are stored in SSM under "
            + GitHubAppParameters.prefix(request.stage())
            + ". Next, install the App on "
            + request.manifest().owner()
            + " (the link below), then go back to the terminal. You can close this tab.",
        Optional.of(request.github().installation(app.slug())));
  }

  private ManifestFlowServer.Page failed(String message, Optional<URI> link) {
    failure = message;
    return new ManifestFlowServer.Page(
        502, "The GitHub App was not set up", message + " (also shown in the terminal)", link);
  }

  private void report(CreatedApp app, Request request) {
    String stage = request.stage();
    out.printf(
        "GitHub App %s (id %d) registered: %s%n",
        app.slug(), app.id(), appPage(app, request.github()));
    out.println("Stored in SSM Parameter Store:");
    out.printf("  %-45s String%n", GitHubAppParameters.appId(stage));
    out.printf("  %-45s SecureString%n", GitHubAppParameters.webhookSecret(stage));
    out.printf("  %-45s SecureString%n", GitHubAppParameters.privateKey(stage));
    out.println("Next:");
    out.printf(
        "  1. Install the App on %s: %s%n",
        request.manifest().owner(), request.github().installation(app.slug()));
    out.printf(
        "  2. Run a workflow job with runs-on: [self-hosted, linux, x64, fargate]; the App's"
            + " Advanced tab shows its deliveries answered 2xx (README: Deploy to AWS)%n");
    out.printf(
        "  Not deployed yet, or deployed elsewhere than %s? terraform apply -var stage=%s in"
            + " infra-terraform/examples/default, then set the App's webhook URL to"
            + " 'terraform output -raw webhook_url'%n",
        request.manifest().webhookUrl(), stage);
    out.flush();
  }

  private static URI appPage(CreatedApp app, GitHubEndpoints github) {
    return app.htmlUrl() != null ? app.htmlUrl() : github.appPage(app.slug());
  }

  private void interrupted(ManifestFlowServer server) {
    if (!server.isDone()) {
      err.println("setup github-app: stopped before GitHub answered; nothing stored");
      err.flush();
    }
    server.close();
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down, and the hook is running or has run: nothing to undo.
    }
  }

  /** Best effort: the printed address is the way; a browser is a convenience. */
  private void openBrowser(URI uri) {
    if (GraphicsEnvironment.isHeadless()
        || !Desktop.isDesktopSupported()
        || !Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
      return;
    }
    try {
      Desktop.getDesktop().browse(uri);
    } catch (java.io.IOException | RuntimeException e) {
      out.println("(no browser could be opened: open the address above yourself)");
    }
  }

  static String describe(Duration duration) {
    long seconds = duration.toSeconds();
    if (seconds % 3600 == 0) {
      return seconds / 3600 + "h";
    }
    return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
  }
}
