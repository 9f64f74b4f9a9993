package dev.runfleet.local.setup;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import dev.runfleet.common.config.GitHubAppParameters;
import dev.runfleet.local.cli.RunfleetCli;
import dev.runfleet.local.runtime.LocalRuntime;
import dev.runfleet.local.runtime.RuntimeOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * {@code runfleet setup github-app} end to end, driven as a browser would: WireMock plays GitHub's
 * API, a running local runtime's SSM API keeps the parameters, and the JDK's HTTP client plays the
 * browser between the flow's page, GitHub (skipped: its redirect is replayed) and the callback.
 */
class SetupGitHubAppTest {

  private static final String WEBHOOK_URL = "https://hooks.example.com/webhook";
  private static final String WEBHOOK_SECRET = "whsec-" + UUID.randomUUID();
  private static final String PEM = pem();
  private static final Pattern PAGE =
      Pattern.compile("Open (http://127\\.0\\.0\\.1:\\d+/) in a browser");

  private static LocalRuntime runtime;
  private static SsmClient ssm;
  private static WireMockServer github;
  private static final ExecutorService cliThreads = Executors.newCachedThreadPool();
  private static final HttpClient browser =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();
  private static final ObjectMapper json = new ObjectMapper();

  private String stage;

  @BeforeAll
  static void start() {
    runtime = LocalRuntime.start(RuntimeOptions.defaults("test-secret").withPort(0));
    ssm =
        new AwsClients(AwsSettings.emulator(runtime.baseUri()))
            .configure(SsmClient.builder(), SsmClient.SERVICE_NAME)
            .build();
    github = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    github.start();
    ObjectNode created = json.createObjectNode();
    created.put("id", 123456);
    created.put("slug", "runfleet-test");
    created.put("name", "runfleet-test");
    created.putObject("owner").put("login", "octo-org");
    created.put("html_url", "https://github.com/apps/runfleet-test");
    created.put("client_id", "Iv1.0123456789abcdef");
    created.put("client_secret", "client-secret-never-kept");
    created.put("webhook_secret", WEBHOOK_SECRET);
    created.put("pem", PEM);
    github.stubFor(
        post(urlEqualTo("/app-manifests/abc/conversions"))
            .withHeader("Accept", equalTo("application/vnd.github+json"))
            .withHeader("X-GitHub-Api-Version", equalTo("2022-11-28"))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody(created.toString())));
    github.stubFor(
        post(urlEqualTo("/app-manifests/expired/conversions"))
            .willReturn(
                aResponse()
                    .withStatus(404)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"message\":\"Not Found\"}")));
    github.stubFor(
        post(urlEqualTo("/app-manifests/partial/conversions"))
            .willReturn(
                aResponse()
                    .withStatus(201)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"id\":1,\"slug\":\"runfleet-partial\"}")));
    github.stubFor(
        post(urlEqualTo("/app-manifests/used/conversions"))
            .willReturn(
                aResponse()
                    .withStatus(422)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"message\":\"Validation Failed\"}")));
  }

  @AfterAll
  static void stop() {
    cliThreads.shutdownNow();
    github.stop();
    ssm.close();
    runtime.close();
  }

  @BeforeEach
  void freshStage() {
    stage = "t" + UUID.randomUUID().toString().substring(0, 8);
    github.resetRequests();
  }

  /** A PEM-shaped value of a 2048-bit key's size, unique to this run. */
  private static String pem() {
    byte[] body = new byte[1190];
    new SecureRandom().nextBytes(body);
    return "-----BEGIN RSA PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(body)
        + "\n-----END RSA PRIVATE KEY-----\n";
  }

  /** The CLI running on its own thread, with what it prints. */
  private record Run(Future<Integer> exit, StringWriter out, StringWriter err) {
    int exitCode() throws Exception {
      return exit.get(30, TimeUnit.SECONDS);
    }

    /** The flow's page, once the CLI has printed it. */
    URI page() {
      await().atMost(Duration.ofSeconds(20)).until(() -> PAGE.matcher(out.toString()).find());
      Matcher m = PAGE.matcher(out.toString());
      m.find();
      return URI.create(m.group(1));
    }
  }

  private Run run(String... more) {
    List<String> options = new ArrayList<>(List.of("--webhook-url", WEBHOOK_URL));
    options.addAll(List.of(more));
    return runExactly(options);
  }

  /** With only the options that point at the test's GitHub and SSM added. */
  private Run runExactly(List<String> options) {
    List<String> args = new ArrayList<>(List.of("setup", "github-app"));
    args.addAll(
        List.of(
            "--api-url",
            github.baseUrl(),
            "--endpoint",
            runtime.baseUri().toString(),
            "--stage",
            stage,
            "--no-browser"));
    args.addAll(options);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine cli = new picocli.CommandLine(new RunfleetCli());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cliThreads.submit(() -> cli.execute(args.toArray(String[]::new))), out, err);
  }

  private static HttpResponse<String> get(URI uri) throws Exception {
    return browser.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The form on the flow's page: where it posts, and the manifest it posts. */
  private record Form(URI action, String state, JsonNode manifest) {}

  private static Form form(URI page) throws Exception {
    HttpResponse<String> response = get(page);
    assertThat(response.statusCode()).isEqualTo(200);
    String html = response.body();
    assertThat(html).contains("<form method=\"post\"");
    Matcher action = Pattern.compile("action=\"([^\"]*)\"").matcher(html);
    Matcher manifest = Pattern.compile("name=\"manifest\" value=\"([^\"]*)\"").matcher(html);
    assertThat(action.find()).isTrue();
    assertThat(manifest.find()).isTrue();
    URI target = URI.create(unescape(action.group(1)));
    String state = target.getQuery().substring("state=".length());
    return new Form(target, state, json.readTree(unescape(manifest.group(1))));
  }

  private static String unescape(String html) {
    return html.replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
  }

  private static HttpResponse<String> callback(URI page, String code, String state)
      throws Exception {
    return get(page.resolve("/callback?code=" + code + "&state=" + state));
  }

  private Parameter parameter(String name) {
    return ssm.getParameter(b -> b.name(name).withDecryption(true)).parameter();
  }

  private List<String> storedNames() {
    return ssm
        .getParametersByPath(b -> b.path(GitHubAppParameters.prefix(stage)).recursive(true))
        .parameters()
        .stream()
        .map(Parameter::name)
        .toList();
  }

  @Test
  void organisationFlow_storesTheThreeParameters_andNeverShowsTheSecrets() throws Exception {
    StringWriter logs = new StringWriter();
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Run run;
    try (Capture capture = Capture.start(logs, console)) {
      run = run("--org", "octo-org");
      URI page = run.page();

      Form form = form(page);
      assertThat(form.action().toString())
          .isEqualTo(
              "https://github.com/organizations/octo-org/settings/apps/new?state=" + form.state());
      assertThat(form.state()).hasSizeGreaterThanOrEqualTo(32);
      JsonNode manifest = form.manifest();
      assertThat(manifest.path("name").asText()).isEqualTo("runfleet-" + stage);
      assertThat(manifest.path("url").asText()).isEqualTo("https://github.com/octo-org");
      assertThat(manifest.path("hook_attributes").path("url").asText()).isEqualTo(WEBHOOK_URL);
      assertThat(manifest.path("hook_attributes").path("active").asBoolean()).isTrue();
      assertThat(manifest.path("redirect_url").asText())
          .isEqualTo(page.resolve("/callback").toString());
      assertThat(manifest.path("public").asBoolean(true)).isFalse();
      assertThat(manifest.path("default_events").toString()).isEqualTo("[\"workflow_job\"]");
      assertThat(manifest.path("default_permissions").toString())
          .isEqualTo(
              "{\"actions\":\"read\",\"metadata\":\"read\","
                  + "\"organization_self_hosted_runners\":\"write\"}");

      HttpResponse<String> wrong = callback(page, "abc", "WRONG" + form.state());
      assertThat(wrong.statusCode()).isEqualTo(400);
      assertThat(run.exit().isDone()).isFalse();
      github.verify(0, postRequestedFor(urlMatching("/app-manifests/.*")));

      HttpResponse<String> done = callback(page, "abc", form.state());
      assertThat(done.statusCode()).isEqualTo(200);
      assertThat(done.body()).contains("https://github.com/apps/runfleet-test/installations/new");
      assertThat(run.exitCode()).isZero();
      assertThatThrownBy(() -> get(page))
          .as("the flow server is stopped once the flow ends")
          .isInstanceOf(ConnectException.class);
    }

    Parameter appId = parameter(GitHubAppParameters.appId(stage));
    Parameter secret = parameter(GitHubAppParameters.webhookSecret(stage));
    Parameter key = parameter(GitHubAppParameters.privateKey(stage));
    assertThat(appId.type()).isEqualTo(ParameterType.STRING);
    assertThat(appId.value()).isEqualTo("123456");
    assertThat(secret.type()).isEqualTo(ParameterType.SECURE_STRING);
    assertThat(secret.value()).isEqualTo(WEBHOOK_SECRET);
    assertThat(key.type()).isEqualTo(ParameterType.SECURE_STRING);
    assertThat(key.value()).isEqualTo(PEM);

    String out = run.out().toString();
    assertThat(out)
        .contains("https://github.com/apps/runfleet-test")
        .contains("https://github.com/apps/runfleet-test/installations/new")
        .contains(GitHubAppParameters.appId(stage))
        .contains(GitHubAppParameters.webhookSecret(stage))
        .contains(GitHubAppParameters.privateKey(stage))
        .contains("terraform apply -var stage=" + stage)
        .contains("runs-on: [self-hosted, linux, x64, fargate]");
    String pemLine = PEM.lines().skip(1).findFirst().orElseThrow();
    for (String shown : List.of(out, run.err().toString(), logs.toString(), console.toString())) {
      assertThat(shown)
          .doesNotContain(WEBHOOK_SECRET)
          .doesNotContain(pemLine)
          .doesNotContain("client-secret-never-kept");
    }
  }

  /** Log lines (every logger) and System.out/err, captured while open. */
  private static final class Capture implements AutoCloseable {
    private static final String NAME = "setup-github-app-test";
    private final LoggerContext context;
    private final WriterAppender appender;
    private final PrintStream stdout = System.out;
    private final PrintStream stderr = System.err;

    private Capture(LoggerContext context, WriterAppender appender) {
      this.context = context;
      this.appender = appender;
    }

    static Capture start(StringWriter logs, ByteArrayOutputStream console) {
      WriterAppender appender =
          WriterAppender.newBuilder()
              .setName(NAME)
              .setTarget(logs)
              .setLayout(PatternLayout.createDefaultLayout())
              .build();
      appender.start();
      LoggerContext context = (LoggerContext) LogManager.getContext(false);
      context.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
      context.updateLoggers();
      Capture capture = new Capture(context, appender);
      System.setOut(new PrintStream(console, true));
      System.setErr(new PrintStream(console, true));
      return capture;
    }

    @Override
    public void close() {
      System.setOut(stdout);
      System.setErr(stderr);
      context.getConfiguration().getRootLogger().removeAppender(NAME);
      context.updateLoggers();
      appender.stop();
    }
  }

  @Test
  void repositoryFlow_asksForAdministration_andAnExpiredCodeStoresNothing() throws Exception {
    Run run = run("--repo", "octo-org/app");
    URI page = run.page();

    Form form = form(page);
    assertThat(form.action().toString())
        .isEqualTo(
            "https://github.com/organizations/octo-org/settings/apps/new?state=" + form.state());
    assertThat(form.manifest().path("default_permissions").toString())
        .isEqualTo("{\"actions\":\"read\",\"metadata\":\"read\",\"administration\":\"write\"}");

    HttpResponse<String> answer = callback(page, "expired", form.state());

    assertThat(answer.statusCode()).isEqualTo(502);
    assertThat(answer.body()).contains("expired");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().toString()).contains("HTTP 404").contains("expired");
    assertThat(storedNames()).isEmpty();
  }

  @Test
  void personalRepository_registersOnTheUsersSettings_andAUsedCodeFails() throws Exception {
    Run run = run("--repo", "octocat/hello", "--user");
    URI page = run.page();

    Form form = form(page);
    assertThat(form.action().toString())
        .isEqualTo("https://github.com/settings/apps/new?state=" + form.state());

    callback(page, "used", form.state());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().toString()).contains("HTTP 422").contains("Validation Failed");
    assertThat(storedNames()).isEmpty();
  }

  @Test
  void conversionAnswerWithoutTheKey_failsTheFlow_andStoresNothing() throws Exception {
    Run run = run("--org", "octo-org");
    URI page = run.page();

    callback(page, "partial", form(page).state());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().toString()).contains("lacks one of id, slug, pem, webhook_secret");
    assertThat(storedNames()).isEmpty();
  }

  @Test
  void existingParameters_withoutForce_areRefusedBeforeTheFlowStarts() throws Exception {
    ssm.putParameter(
        b -> b.name(GitHubAppParameters.appId(stage)).value("7").type(ParameterType.STRING));

    Run run = run("--org", "octo-org");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().toString()).contains(GitHubAppParameters.appId(stage)).contains("--force");
    assertThat(run.out().toString()).doesNotContain("Open http");
    assertThat(parameter(GitHubAppParameters.appId(stage)).value()).isEqualTo("7");
  }

  @Test
  void existingParameters_withForce_areReplaced_onEnterpriseServer() throws Exception {
    for (String name : GitHubAppParameters.all(stage)) {
      ssm.putParameter(b -> b.name(name).value("old").type(ParameterType.SECURE_STRING));
    }

    Run run = run("--org", "octo-org", "--github-url", "https://ghe.example.com", "--force");
    URI page = run.page();
    Form form = form(page);
    assertThat(form.action().toString())
        .isEqualTo(
            "https://ghe.example.com/organizations/octo-org/settings/apps/new?state="
                + form.state());
    callback(page, "abc", form.state());

    assertThat(run.exitCode()).isZero();
    assertThat(parameter(GitHubAppParameters.appId(stage)).value()).isEqualTo("123456");
    assertThat(parameter(GitHubAppParameters.privateKey(stage)).value()).isEqualTo(PEM);
    assertThat(run.out().toString())
        .contains("https://ghe.example.com/github-apps/runfleet-test/installations/new");
  }

  @Test
  void noAnswerWithinTheTimeout_endsTheFlow_storesNothing_andStopsTheServer() throws Exception {
    Run run = run("--org", "octo-org", "--timeout", "1s");
    URI page = run.page();

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().toString()).contains("no answer from GitHub within 1s; nothing stored");
    assertThat(storedNames()).isEmpty();
    assertThatThrownBy(() -> get(page)).isInstanceOf(ConnectException.class);
  }

  static Stream<Arguments> invalidOptions() {
    String hook = "--webhook-url=" + WEBHOOK_URL;
    return Stream.of(
        Arguments.of(List.of(hook), "exactly one of --org"),
        Arguments.of(List.of(hook, "--org", "o", "--repo", "o/r"), "exactly one of --org"),
        Arguments.of(List.of(hook, "--org", "o", "--user"), "--user goes with --repo"),
        Arguments.of(List.of(hook, "--repo", "octo-org"), "--repo must be OWNER/REPO"),
        Arguments.of(List.of(hook, "--org", "octo/org"), "not a GitHub account name"),
        Arguments.of(List.of("--org", "o"), "--webhook-url URL is required"),
        Arguments.of(
            List.of("--org", "o", "--webhook-url", "http://hooks.example.com/webhook"),
            "--webhook-url must use https"),
        Arguments.of(
            List.of(hook, "--org", "o", "--name", "n".repeat(35)), "--name must be 1 to 34"),
        Arguments.of(List.of(hook, "--org", "o", "--timeout", "0s"), "--timeout must be from 1s"),
        Arguments.of(List.of(hook, "--org", "o", "--timeout", "soon"), "--timeout must be like"),
        Arguments.of(List.of(hook, "--org", "o", "--port", "70000"), "--port must be 0 to 65535"));
  }

  @ParameterizedTest
  @MethodSource("invalidOptions")
  void invalidOptions_areAUsageError_inOneLine(List<String> options, String message)
      throws Exception {
    Run run = runExactly(options);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().toString().strip().lines())
        .singleElement()
        .satisfies(line -> assertThat(line).startsWith("setup github-app: ").contains(message));
    assertThat(run.out().toString()).isEmpty();
  }
}
