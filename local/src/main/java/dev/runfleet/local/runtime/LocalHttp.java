package dev.runfleet.local.runtime;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.emulators.edge.AwsEdge;
import dev.runfleet.emulators.edge.EdgeReply;
import dev.runfleet.emulators.edge.EdgeRequest;
import dev.runfleet.emulators.edge.EdgeServer;
import dev.runfleet.local.aws.AwsCallCounts;
import dev.runfleet.local.explain.FleetJson;
import dev.runfleet.local.explain.JobDetail;
import dev.runfleet.local.sim.SimJob;
import dev.runfleet.producer.ProducerHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's HTTP face: {@code POST /webhook} reaches the producer handler as API Gateway's HTTP
 * API (payload v2) would deliver it — lower-cased headers, base64 body — and a read-only JSON API
 * shows the fleet.
 */
final class LocalHttp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LocalHttp.class);

  /** Above the producer's own limit, so the producer, not this server, answers 413. */
  private static final int MAX_READ = 8 * 1024 * 1024;

  private static final String DASHBOARD = "/dashboard/index.html";

  /** A {@code /sim} request is a few fields: anything longer is not one. */
  private static final int MAX_SIM_BODY = 64 * 1024;

  private final HttpServer server;
  private final ExecutorService pool;
  private final LocalRuntime runtime;
  private final AwsEdge edge;
  private final ObjectMapper json = new ObjectMapper();
  private final DashboardFeed feed;
  private final SimHttp sim;
  private final SimGitHubApi gitHubApi;
  private static final String PRODUCER = "runfleet-producer";

  private volatile ProducerHandler producer;
  private volatile boolean ready;

  private LocalHttp(
      HttpServer server,
      ExecutorService pool,
      LocalRuntime runtime,
      AwsEdge edge,
      DashboardFeed.Options feedOptions) {
    this.server = server;
    this.pool = pool;
    this.runtime = runtime;
    this.edge = edge;
    this.sim = new SimHttp(runtime);
    this.gitHubApi = new SimGitHubApi(() -> runtime.gitHub(), Clock.systemUTC());
    this.feed =
        new DashboardFeed(() -> FleetState.read(runtime, json, Instant.now()), json, feedOptions);
  }

  /**
   * Serves the webhook, the local API and, on the same port, the emulated AWS APIs of {@code edge}.
   */
  static LocalHttp start(int port, LocalRuntime runtime, AwsEdge edge) {
    return start(port, runtime, edge, DashboardFeed.Options.defaults());
  }

  /** As {@link #start(int, LocalRuntime, AwsEdge)}, with the dashboard feed's own settings. */
  static LocalHttp start(
      int port, LocalRuntime runtime, AwsEdge edge, DashboardFeed.Options feedOptions) {
    EdgeServer.configureJdkServers();
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
      ExecutorService pool =
          Executors.newFixedThreadPool(
              // The runtime's own clients call the emulated AWS APIs through this port too.
              32,
              r -> {
                Thread t = new Thread(r, "local-http");
                t.setDaemon(true);
                return t;
              });
      LocalHttp http = new LocalHttp(server, pool, runtime, edge, feedOptions);
      server.setExecutor(pool);
      server.createContext("/", http::handle);
      server.start();
      return http;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
    }
  }

  /**
   * Fails in milliseconds when the port is taken, so a caller learns it before the emulators take
   * seconds to start; {@link #start} binds it for good later (a race lost then fails there).
   */
  static void requireFree(int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress("127.0.0.1", port));
    } catch (IOException e) {
      throw new UncheckedIOException("port " + port + " on 127.0.0.1 is in use", e);
    }
  }

  /**
   * The runtime finished starting: from now on the webhook, the local API, the dashboard and {@code
   * /sim} are served. Before, only the emulated AWS APIs answer (the runtime's own start-up calls
   * them through this port); everything else is a 503 "starting" with {@code Retry-After}, never a
   * 500 from half-built state.
   */
  void ready() {
    this.ready = true;
  }

  void producer(ProducerHandler handler) {
    this.producer = handler;
  }

  URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Event streams open now (the dashboard's clients). */
  int eventStreams() {
    return feed.clients();
  }

  private void handle(HttpExchange exchange) {
    if (!ready && !isAwsCall(exchange)) {
      answerStarting(exchange);
      return;
    }
    if ("GET".equals(exchange.getRequestMethod()) && "/api/events".equals(path(exchange))) {
      events(exchange);
      return;
    }
    try {
      route(exchange);
    } catch (IOException e) {
      // The client went away or was cut off at the request deadline: there is no one to answer.
      LOG.debug("request {} {} not answered: {}", exchange.getRequestMethod(), path(exchange), e);
    } catch (RuntimeException e) {
      LOG.error("request {} {} failed", exchange.getRequestMethod(), path(exchange), e);
      answerFailure(exchange);
    } finally {
      exchange.close();
    }
  }

  /** Every POST but the webhook and {@code /sim} is a call to an emulated AWS API. */
  private static boolean isAwsCall(HttpExchange exchange) {
    String path = path(exchange);
    return "POST".equals(exchange.getRequestMethod())
        && !"/webhook".equals(path)
        && !path.startsWith("/sim/");
  }

  private void answerStarting(HttpExchange exchange) {
    try {
      exchange.getResponseHeaders().set("Retry-After", "1");
      reply(exchange, 503, error("starting"));
    } catch (IOException e) {
      LOG.debug("503 for {} not delivered: {}", path(exchange), e.toString());
    } finally {
      exchange.close();
    }
  }

  /** A 500 while the status can still be sent; after that, closing is the only answer left. */
  private void answerFailure(HttpExchange exchange) {
    if (exchange.getResponseCode() != -1) {
      return;
    }
    try {
      reply(exchange, 500, error("internal error"));
    } catch (IOException e) {
      LOG.debug("500 for {} not delivered: {}", path(exchange), e.toString());
    }
  }

  private static String path(HttpExchange exchange) {
    return exchange.getRequestURI().getPath();
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    if ("POST".equals(method) && "/webhook".equals(path)) {
      webhook(exchange);
      return;
    }
    if (path.startsWith(SimGitHubApi.BASE + "/")) {
      gitHubApi(exchange, method, path);
      return;
    }
    if (path.startsWith("/sim/")) {
      simulation(exchange, method, path);
      return;
    }
    if ("POST".equals(method)) {
      // Every other POST is a call to an emulated AWS API: the runtime's port is its edge.
      Optional<EdgeRequest> request = EdgeServer.read(exchange, EdgeServer.MAX_BODY_BYTES);
      if (request.isEmpty()) {
        reply(exchange, 413, error("request body too large"));
        return;
      }
      Optional<EdgeReply> answer = edge.handle(request.get());
      if (answer.isPresent()) {
        EdgeServer.write(exchange, answer.get());
      } else {
        reply(exchange, 404, error("no webhook or AWS API at POST " + path));
      }
      return;
    }
    if (!"GET".equals(method)) {
      reply(exchange, 405, error("method not allowed"));
      return;
    }
    switch (path) {
      case "/", "/index.html" -> dashboard(exchange);
      case "/health" -> health(exchange);
      case "/api/jobs" -> jobs(exchange);
      case "/api/metrics" -> metrics(exchange);
      case "/api/runners" -> reply(exchange, 200, runners(runtime.runners()));
      case "/api/platforms" -> reply(exchange, 200, platforms());
      default -> {
        if (path.startsWith("/api/jobs/")) {
          job(exchange, path.substring("/api/jobs/".length()));
        } else {
          reply(exchange, 404, error("no such resource: " + path));
        }
      }
    }
  }

  /**
   * Hands the exchange to the dashboard feed, which answers and closes it on its own thread: an
   * event stream must not hold a thread of this server's pool for as long as a browser stays.
   */
  private void events(HttpExchange exchange) {
    try {
      if (!feed.open(exchange)) {
        exchange.getResponseHeaders().set("Retry-After", "5");
        reply(exchange, 503, error("too many event streams open; retry later"));
        exchange.close();
      }
    } catch (IOException e) {
      LOG.debug("event stream not opened: {}", e.toString());
      exchange.close();
    } catch (RuntimeException e) {
      LOG.error("event stream not opened", e);
      answerFailure(exchange);
      exchange.close();
    }
  }

  /** The dashboard: one self-contained page, its data from {@code /api/events}. */
  private void dashboard(HttpExchange exchange) throws IOException {
    byte[] page;
    try (InputStream in = LocalHttp.class.getResourceAsStream(DASHBOARD)) {
      if (in == null) {
        throw new IllegalStateException("resource " + DASHBOARD + " missing from the jar");
      }
      page = in.readAllBytes();
    }
    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    // The page loads nothing from elsewhere; the policy makes sure it never will.
    exchange
        .getResponseHeaders()
        .set(
            "Content-Security-Policy",
            "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline';"
                + " connect-src 'self'; img-src 'self' data:");
    exchange.sendResponseHeaders(200, page.length);
    exchange.getResponseBody().write(page);
  }

  private void webhook(HttpExchange exchange) throws IOException {
    ProducerHandler handler = producer;
    if (handler == null) {
      reply(exchange, 503, error("starting"));
      return;
    }
    byte[] body = read(exchange.getRequestBody());
    Map<String, String> headers = new HashMap<>();
    exchange
        .getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
    APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
    event.setVersion("2.0");
    event.setRouteKey("POST /webhook");
    event.setRawPath("/webhook");
    event.setHeaders(headers);
    event.setBody(Base64.getEncoder().encodeToString(body));
    event.setIsBase64Encoded(true);
    APIGatewayV2HTTPResponse response =
        AwsCallCounts.during(PRODUCER, () -> handler.handle(event, runtime.context(PRODUCER)));
    if (runtime.options().adoptPostedJobs()
        && response.getStatusCode() == 200
        && "workflow_job".equals(headers.get("x-github-event"))) {
      adoptPostedJob(body);
    }
    byte[] out =
        response.getBody() == null
            ? new byte[0]
            : response.getBody().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(response.getStatusCode(), out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      exchange.getResponseBody().write(out);
    }
  }

  private void simulation(HttpExchange exchange, String method, String path) throws IOException {
    byte[] body = exchange.getRequestBody().readNBytes(MAX_SIM_BODY + 1);
    if (body.length > MAX_SIM_BODY) {
      reply(exchange, 413, error("a /sim request body is at most " + MAX_SIM_BODY + " bytes"));
      return;
    }
    SimHttp.Reply answer =
        sim.answer(
            method, path, exchange.getRequestURI().getRawQuery(), body, baseUri().toString());
    answer.headers().forEach(exchange.getResponseHeaders()::set);
    reply(exchange, answer.status(), answer.body());
  }

  /** The simulated GitHub's REST API, as the runtime's GitHub client calls it. */
  SimGitHubApi gitHubApi() {
    return gitHubApi;
  }

  private void gitHubApi(HttpExchange exchange, String method, String path) throws IOException {
    byte[] body = exchange.getRequestBody().readNBytes(MAX_SIM_BODY + 1);
    if (body.length > MAX_SIM_BODY) {
      reply(
          exchange, 413, error("a GitHub API request body is at most " + MAX_SIM_BODY + " bytes"));
      return;
    }
    if (!runtime.simulated()) {
      reply(exchange, 404, error("no simulated GitHub here: this runtime uses the real GitHub"));
      return;
    }
    SimHttp.Reply answer =
        gitHubApi.answer(
            method,
            path,
            exchange.getRequestURI().getRawQuery(),
            body,
            exchange.getRequestHeaders().getFirst("Authorization"),
            baseUri().toString().replaceAll("/$", "") + SimGitHubApi.BASE);
    answer.headers().forEach(exchange.getResponseHeaders()::set);
    if (answer.body() == null) {
      exchange.sendResponseHeaders(answer.status(), -1);
      return;
    }
    reply(exchange, answer.status(), answer.body());
  }

  /** Lets the simulated GitHub run a job announced by a hand-posted {@code queued} webhook. */
  private void adoptPostedJob(byte[] body) {
    try {
      var root = json.readTree(body);
      var wj = root.path("workflow_job");
      if (!"queued".equals(root.path("action").asText())
          || !"queued".equals(wj.path("status").asText())) {
        return;
      }
      List<String> labels = new java.util.ArrayList<>();
      wj.path("labels").forEach(l -> labels.add(l.asText()));
      runtime
          .gitHub()
          .adopt(
              new SimJob(
                  wj.path("id").asLong(),
                  wj.path("run_id").asLong(),
                  wj.path("run_attempt").asInt(1),
                  labels,
                  root.path("repository").path("full_name").asText("local/repo"),
                  root.path("organization").path("login").asText(null),
                  root.path("installation").path("id").asLong(0),
                  java.time.Duration.ofSeconds(5),
                  java.time.Instant.parse(
                      wj.path("created_at").asText(java.time.Instant.now().toString()))));
    } catch (IOException | RuntimeException e) {
      LOG.warn("posted job not handed to the simulated GitHub: {}", e.toString());
    }
  }

  private static byte[] read(InputStream in) throws IOException {
    return in.readNBytes(MAX_READ);
  }

  /**
   * {@code /api/jobs/ID} (latest attempt) or {@code ID:ATTEMPT}: as {@code runfleet job -o json}.
   */
  private void job(HttpExchange exchange, String id) throws IOException {
    Optional<JobDetail> found;
    try {
      if (id.contains(":")) {
        JobKey key = JobKey.parse(id);
        found = runtime.fleet().job(key.jobId(), key.runAttempt());
      } else {
        found = runtime.fleet().job(Long.parseLong(id), null);
      }
    } catch (IllegalArgumentException e) {
      reply(exchange, 400, error("not a job id: " + id));
      return;
    }
    if (found.isEmpty()) {
      reply(exchange, 404, error("no job " + id));
    } else {
      reply(exchange, 200, FleetJson.detail(found.get()));
    }
  }

  /** 200 while every emulator answers and every poller runs; 503 naming what is down. */
  private void health(HttpExchange exchange) throws IOException {
    LocalRuntime.Health health = runtime.health();
    ObjectNode body = json.createObjectNode();
    body.put("status", health.healthy() ? (health.paused() ? "paused" : "ok") : "down");
    body.put("paused", health.paused());
    ObjectNode checks = body.putObject("checks");
    health.checks().forEach(checks::put);
    reply(exchange, health.healthy() ? 200 : 503, body);
  }

  /** Filtered, ordered and paged; X-Total-Count and X-Next-Offset say what else there is. */
  private void jobs(HttpExchange exchange) throws IOException {
    JobQuery query;
    try {
      query = JobQuery.parse(exchange.getRequestURI().getRawQuery());
    } catch (IllegalArgumentException e) {
      reply(exchange, 400, error(e.getMessage()));
      return;
    }
    JobQuery.Page page = query.apply(runtime.jobs());
    Map<JobKey, String> why = runtime.fleet().why(page.jobs());
    ArrayNode array = json.createArrayNode();
    page.jobs().forEach(j -> array.add(FleetJson.job(j, why.get(j.key()))));
    exchange.getResponseHeaders().set("X-Total-Count", Integer.toString(page.total()));
    int next = page.nextOffset(query);
    if (next >= 0) {
      exchange.getResponseHeaders().set("X-Next-Offset", Integer.toString(next));
    }
    reply(exchange, 200, array);
  }

  private void metrics(HttpExchange exchange) throws IOException {
    Map<String, Integer> inFlight = new java.util.TreeMap<>();
    Map<String, Integer> caps = new java.util.TreeMap<>();
    Map<String, Integer> alive = new java.util.TreeMap<>(runtime.hosts().alive());
    for (Platform p : runtime.options().platforms().all()) {
      inFlight.put(p.name(), runtime.inFlight(p.name()));
      caps.put(p.name(), runtime.flowSettings().platformCap(p));
      alive.putIfAbsent(p.name(), 0);
    }
    Map<String, Integer> byStatus = new java.util.TreeMap<>();
    for (JobStatus status : JobStatus.values()) {
      byStatus.put(status.name(), 0);
    }
    runtime.jobs().forEach(j -> byStatus.merge(j.status().name(), 1, Integer::sum));
    String text =
        new PrometheusText()
            .counters(runtime.metrics())
            .gauge(
                "in_flight", "Runners holding a slot (the table's counter).", "platform", inFlight)
            .gauge(
                "cap",
                "The platform's cap in force (its caps parameter, else the configured one).",
                "platform",
                caps)
            .gauge("hosts_alive", "Simulated hosts running.", "platform", alive)
            .gauge("jobs", "Jobs in the ledger by status.", "status", byStatus)
            .toString();
    byte[] out = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", PrometheusText.CONTENT_TYPE);
    exchange.sendResponseHeaders(200, out.length);
    exchange.getResponseBody().write(out);
  }

  private ArrayNode runners(List<Runner> runners) {
    ArrayNode array = json.createArrayNode();
    runners.forEach(r -> array.add(FleetJson.runner(r)));
    return array;
  }

  private ArrayNode platforms() {
    ArrayNode array = json.createArrayNode();
    Map<String, Integer> alive = runtime.hosts().alive();
    for (Platform p : runtime.options().platforms().all()) {
      ObjectNode node = array.addObject();
      node.put("name", p.name());
      // The cap the publisher holds the platform to now; the configured one beside it.
      node.put("cap", runtime.flowSettings().platformCap(p));
      node.put("configuredCap", p.cap());
      node.put("inFlight", runtime.inFlight(p.name()));
      node.put("hostsAlive", alive.getOrDefault(p.name(), 0));
      node.put("hostKind", p.hostKind().name());
      node.put("arch", p.arch());
      ArrayNode labels = node.putArray("labels");
      p.runnerLabels().stream().sorted().forEach(labels::add);
    }
    return array;
  }

  private ObjectNode error(String message) {
    return json.createObjectNode().put("error", message);
  }

  private void reply(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] out = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, out.length);
    exchange.getResponseBody().write(out);
  }

  @Override
  public void close() {
    feed.close();
    server.stop(0);
    pool.shutdownNow();
  }
}
