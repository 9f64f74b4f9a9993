package dev.runfleet.local.cli;

import dev.runfleet.local.setup.AppManifest;
import dev.runfleet.local.setup.AppOwner;
import dev.runfleet.local.setup.GitHubAppSetup;
import dev.runfleet.local.setup.GitHubAppStore;
import dev.runfleet.local.setup.GitHubEndpoints;
import dev.runfleet.local.setup.ManifestConversion;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.ssm.SsmClient;

/** {@code runfleet setup}: one-time steps before a deployment. */
@Command(
    name = "setup",
    mixinStandardHelpOptions = true,
    description = "One-time setup before deploying to AWS.",
    subcommands = {SetupCommand.GitHubApp.class})
public final class SetupCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return RunfleetCli.usageOf(spec);
  }

  /** {@code runfleet setup github-app}: the App manifest flow, its credentials into SSM. */
  @Command(
      name = "github-app",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Register runfleet's GitHub App through GitHub's App manifest flow and store its id,"
            + " webhook secret and private key in SSM Parameter Store"
            + " (/runfleet-github/{stage}/app-id, /webhook-secret, /private-key).",
        "Serves a page on 127.0.0.1 that sends the manifest to GitHub; open it in a browser on"
            + " this machine, confirm the App on GitHub, and GitHub sends you back with a one-time"
            + " code that this command trades for the App's credentials."
      },
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {
        "0:App registered and its credentials stored",
        "1:refused (parameters exist), failed or timed out",
        "2:invalid options"
      })
  static final class GitHubApp implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(
        names = "--org",
        paramLabel = "ORG",
        description = "Organisation whose runners the App manages (organisation-level runners).")
    String org;

    @Option(
        names = "--repo",
        paramLabel = "OWNER/REPO",
        description =
            "One repository instead (repository-level runners); the App is registered on OWNER.")
    String repo;

    @Option(
        names = "--user",
        description =
            "With --repo: OWNER is a personal account, not an organisation (GitHub's"
                + " /settings/apps/new).")
    boolean user;

    @Option(
        names = "--webhook-url",
        paramLabel = "URL",
        description =
            "Required. Where GitHub delivers webhooks: the deployment's https://…/webhook"
                + " (http only for 127.0.0.1 or localhost).")
    String webhookUrl;

    @Option(
        names = "--github-url",
        paramLabel = "URL",
        description =
            "GitHub: https://github.com (default) or GitHub Enterprise Server's https://HOST.")
    String githubUrl = GitHubEndpoints.GITHUB_COM.toString();

    @Option(
        names = "--api-url",
        paramLabel = "URL",
        description =
            "GitHub's REST API (default: https://api.github.com, or https://HOST/api/v3).")
    String apiUrl;

    @Option(
        names = "--name",
        paramLabel = "NAME",
        description =
            "App name, unique on GitHub, at most 34 characters (default: runfleet-STAGE);"
                + " changeable on GitHub's page.")
    String name;

    @CommandLine.Mixin RunfleetCli.Target target = new RunfleetCli.Target();

    @Option(
        names = "--port",
        paramLabel = "N",
        description = "Port of the page on 127.0.0.1 (default 0: any free port).")
    int port = 0;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        description = "How long to wait for GitHub, e.g. 90s, 10m, 1h (default 10m).")
    String timeout = "10m";

    @Option(
        names = "--force",
        description = "Overwrite the parameters if they exist (default: refuse).")
    boolean force;

    @Option(
        names = "--no-browser",
        description = "Do not try to open a browser; just print the address (always printed).")
    boolean noBrowser;

    @Override
    public Integer call() throws InterruptedException {
      GitHubAppSetup.Request request;
      try {
        request = request();
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("setup github-app: " + e.getMessage());
        return 2;
      }
      if (target.endpoint != null) {
        RunfleetCli.requireListening(target.endpoint, "--endpoint");
      }
      try (SsmClient ssm =
          FleetParameters.ssmClient(Optional.ofNullable(target.endpoint), target.region)) {
        return new GitHubAppSetup(
                new GitHubAppStore(ssm, target.stage),
                new ManifestConversion(request.github().api()),
                spec.commandLine().getOut(),
                spec.commandLine().getErr())
            .run(request);
      }
    }

    /** Every option checked; the first problem as one line. */
    GitHubAppSetup.Request request() {
      if ((org == null) == (repo == null)) {
        throw new IllegalArgumentException("give exactly one of --org ORG or --repo OWNER/REPO");
      }
      if (user && repo == null) {
        throw new IllegalArgumentException("--user goes with --repo OWNER/REPO");
      }
      AppOwner owner = org != null ? AppOwner.organisation(org) : AppOwner.repository(repo, user);
      if (webhookUrl == null) {
        throw new IllegalArgumentException("--webhook-url URL is required");
      }
      URI webhook =
          GitHubEndpoints.httpsOrLoopback("--webhook-url", uri("--webhook-url", webhookUrl));
      GitHubEndpoints github =
          GitHubEndpoints.of(
              uri("--github-url", githubUrl),
              Optional.ofNullable(apiUrl).map(a -> uri("--api-url", a)));
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("--port must be 0 to 65535, was " + port);
      }
      String stage = target.stage;
      if (stage == null || !stage.matches("[A-Za-z0-9_.-]{1,64}")) {
        throw new IllegalArgumentException(
            "--stage must be 1 to 64 letters, digits, '.', '_' or '-', was '" + stage + "'");
      }
      AppManifest manifest =
          new AppManifest(
              name != null ? name : "runfleet-" + stage,
              URI.create(github.web() + "/" + owner),
              webhook,
              owner);
      return new GitHubAppSetup.Request(
          manifest, github, stage, port, duration(timeout), force, !noBrowser);
    }

    private static URI uri(String option, String text) {
      try {
        return new URI(text.trim());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(option + " is not a URL: " + text);
      }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smh]?)");

    /** {@code 90s}, {@code 10m}, {@code 1h}, or plain seconds; 1 second to 24 hours. */
    static Duration duration(String text) {
      Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "--timeout must be like 90s, 10m or 1h, was '" + text + "'");
      }
      long amount = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "h" -> Duration.ofHours(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofSeconds(amount);
          };
      if (d.isZero() || d.compareTo(Duration.ofHours(24)) > 0) {
        throw new IllegalArgumentException("--timeout must be from 1s to 24h, was '" + text + "'");
      }
      return d;
    }
  }
}
