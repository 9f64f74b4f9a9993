package dev.runfleet.local.cli;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.common.config.Env;
import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.common.domain.Runner;
import dev.runfleet.common.domain.RunnerStatus;
import dev.runfleet.local.explain.FleetJson;
import dev.runfleet.local.explain.FleetReader;
import dev.runfleet.local.explain.FleetSnapshot;
import dev.runfleet.local.explain.JobDetail;
import dev.runfleet.local.runtime.LocalRuntime;
import dev.runfleet.publisher.PublisherConfig;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The commands that explain the fleet, read-only: {@code status}, {@code jobs}, {@code runners} and
 * {@code job ID}. They read the jobs table and the runtime parameters of AWS (with the permissions
 * of Terraform's {@code operator_read_policy_json}) or of a running {@code runfleet local} ({@code
 * --endpoint}), and print an aligned table, or JSON with {@code -o json}.
 */
final class FleetCommands {

  static final String TABLE_ENV = "RUNFLEET_TABLE";
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 10_000;

  private FleetCommands() {}

  /** How to print: aligned columns for people, or JSON for scripts. */
  enum Output {
    table,
    json
  }

  /**
   * {@code --table} and {@code -o}, next to {@link RunfleetCli.Target}'s stage, endpoint, region.
   */
  static final class Reading {

    @Option(
        names = "--table",
        defaultValue = "${env:" + TABLE_ENV + "}",
        description =
            "The jobs table in AWS (default: $"
                + TABLE_ENV
                + "; 'terraform output -raw table_name'). With --endpoint: the local runtime's.")
    String table;

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        description = "table (default) or json.")
    Output output = Output.table;
  }

  /** {@code --platform} and {@code --limit} of the listings. */
  static final class Listing {
    @Option(names = "--platform", paramLabel = "P", description = "Only those of this platform.")
    String platform;

    @Option(
        names = "--limit",
        paramLabel = "N",
        description = "At most N, from 1 to " + MAX_LIMIT + " (default ${DEFAULT-VALUE}).")
    int limit = DEFAULT_LIMIT;
  }

  /** The fleet opened for reading, with the clients to close. */
  record Opened(FleetReader reader, DynamoDbClient dynamo, SsmClient ssm) implements AutoCloseable {
    @Override
    public void close() {
      dynamo.close();
      ssm.close();
    }
  }

  /**
   * The publisher's configuration as it reads it, from this process's environment (at this edge):
   * the platforms ({@code RUNFLEET_PLATFORMS}, {@code terraform output -raw platforms_json}) and
   * default caps and ceilings, so an effective value here is the publisher's.
   */
  static PublisherConfig publisherConfig(
      CommandLine command, RunfleetCli.Target target, Reading reading, Map<String, String> env) {
    target.checkStage();
    String table = target.endpoint != null ? LocalRuntime.TABLE : reading.table;
    if (table == null || table.isBlank()) {
      throw new ParameterException(
          command,
          "which jobs table? pass --table NAME or set $"
              + TABLE_ENV
              + " ('terraform output -raw table_name'), or --endpoint for a local runtime");
    }
    Map<String, String> values = new HashMap<>(env);
    values.put(PublisherConfig.ENV_TABLE, table);
    // The operator's commands publish nothing: the topic is required of the publisher only.
    values.putIfAbsent(
        PublisherConfig.ENV_TOPIC_ARN, "arn:aws:sns:::not-used-by-operator-commands");
    values.put(PublisherConfig.ENV_STAGE, target.stage);
    // Every reading fresh: an operator asks about now.
    values.put(PublisherConfig.ENV_PARAMETER_CACHE_SECONDS, "0");
    values.put("AWS_REGION", target.region);
    try {
      return PublisherConfig.from(values);
    } catch (Env.ConfigException e) {
      throw new CliErrors.Failure(
          "the publisher's settings in this environment are invalid: "
              + e.getMessage()
              + " (fix or unset them)",
          e);
    }
  }

  static Opened open(RunfleetCli.Target target, PublisherConfig config) {
    target.requireEndpoint();
    AwsClients clients =
        FleetParameters.clients(Optional.ofNullable(target.endpoint), target.region);
    DynamoDbClient dynamo =
        clients.configure(DynamoDbClient.builder(), DynamoDbClient.SERVICE_NAME).build();
    SsmClient ssm = clients.configure(SsmClient.builder(), SsmClient.SERVICE_NAME).build();
    return new Opened(new FleetReader(dynamo, ssm, config, Clock.systemUTC()), dynamo, ssm);
  }

  /** A platform the publisher routes to, or a usage error listing them. */
  static String platform(CommandLine command, PublisherConfig config, String name) {
    return name == null
        ? null
        : OptionChecks.platform(command, "--platform", config.platforms(), name).name();
  }

  /** Status names, any case, comma-separated; a usage error lists the known ones. */
  static <E extends Enum<E>> Set<E> statuses(
      CommandLine command, Class<E> type, List<String> given) {
    Set<E> out = EnumSet.noneOf(type);
    for (String one : given) {
      for (String name : one.split(",")) {
        try {
          out.add(Enum.valueOf(type, name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new ParameterException(
              command,
              "--status: unknown status '"
                  + name.trim()
                  + "'; known: "
                  + Arrays.stream(type.getEnumConstants())
                      .map(Enum::name)
                      .collect(Collectors.joining(", ")));
        }
      }
    }
    return out;
  }

  private static final Pattern AGO = Pattern.compile("(\\d{1,9})([smhd])");

  /** {@code 30m}, {@code 2h}, {@code 1d}, {@code 90s}, or an ISO-8601 instant. */
  static Instant since(CommandLine command, String text, Instant now) {
    if (text == null) {
      return null;
    }
    Matcher ago = AGO.matcher(text.trim());
    if (ago.matches()) {
      ChronoUnit unit =
          switch (ago.group(2)) {
            case "s" -> ChronoUnit.SECONDS;
            case "m" -> ChronoUnit.MINUTES;
            case "h" -> ChronoUnit.HOURS;
            default -> ChronoUnit.DAYS;
          };
      return now.minus(Duration.of(Long.parseLong(ago.group(1)), unit));
    }
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new ParameterException(
          command,
          "--since must be a duration such as 30m, 2h, 1d, 90s or an instant such as"
              + " 2026-12-05T10:00:00Z, was '"
              + text
              + "'");
    }
  }

  static int limit(CommandLine command, int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ParameterException(
          command, "--limit must be from 1 to " + MAX_LIMIT + ", was " + limit);
    }
    return limit;
  }

  static String seconds(long seconds) {
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return seconds / 60 + "m" + String.format("%02ds", seconds % 60);
    }
    return seconds / 3600 + "h" + String.format("%02dm", seconds % 3600 / 60);
  }

  static String time(Instant instant) {
    return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** {@code runfleet status}. */
  @Command(
      name = "status",
      description = {
        "Per platform: the cap in force and its source (default or parameter), runners in flight,"
            + " hosts alive, jobs queued and the oldest wait; the global cap; the launch budget;"
            + " the pause switch.",
        "Caps are the publisher's: a valid parameter, else its default, under the deployed ceiling."
      })
  static final class Status implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin RunfleetCli.Target target = new RunfleetCli.Target();
    @Mixin Reading reading = new Reading();

    @Override
    public Integer call() {
      PublisherConfig config =
          publisherConfig(spec.commandLine(), target, reading, System.getenv());
      try (Opened fleet = open(target, config)) {
        print(fleet.reader().status(), reading.output, target.out());
      }
      return 0;
    }

    static void print(FleetSnapshot fleet, Output output, PrintWriter out) {
      if (output == Output.json) {
        out.println(FleetJson.print(FleetJson.status(fleet)));
        return;
      }
      FleetSnapshot.LaunchBudgetState budget = fleet.launchRate();
      out.println(
          "paused: "
              + (fleet.paused()
                  ? "yes" + fleet.pausedSince().map(t -> " since " + time(t)).orElse("")
                  : "no"));
      out.printf(
          Locale.ROOT,
          "launch rate: %s/s, burst %d, next slot %s%n",
          budget.rate().toString().split("/")[0],
          budget.rate().burst(),
          budget.nextSlotSeconds() > 0
              ? String.format(Locale.ROOT, "in %.1f s", budget.nextSlotSeconds())
              : "now");
      TextTable table =
          new TextTable(
              "", "PLATFORM", "CAP", "SOURCE", "IN FLIGHT", "HOSTS", "QUEUED", "OLDEST WAIT");
      for (FleetSnapshot.PlatformState p : fleet.platforms()) {
        table.row(
            p.name(),
            p.cap(),
            p.capSource().wireName(),
            p.inFlight(),
            p.hostsAlive(),
            p.queued(),
            p.queued() == 0 ? "-" : seconds(p.oldestQueuedSeconds(fleet.at())));
      }
      table.row(
          "global",
          fleet.global().cap(),
          fleet.global().capSource().wireName(),
          fleet.global().inFlight(),
          "",
          "",
          "");
      table.print(out);
    }
  }

  /** {@code runfleet jobs}. */
  @Command(
      name = "jobs",
      description = {
        "Jobs newest first, each with why it is where it is; --status QUEUED alone lists the"
            + " queue in dispatch order (oldest first)."
      })
  static final class Jobs implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin RunfleetCli.Target target = new RunfleetCli.Target();
    @Mixin Reading reading = new Reading();
    @Mixin Listing listing = new Listing();

    @Option(
        names = "--status",
        paramLabel = "S",
        split = ",",
        description =
            "Only these statuses: WAITING, QUEUED, DISPATCHED, IN_PROGRESS, COMPLETED, IGNORED"
                + " (any case, comma-separated).")
    List<String> status = List.of();

    @Option(
        names = "--since",
        paramLabel = "D",
        description = "Only jobs queued in the last D (30m, 2h, 1d) or since an instant.")
    String since;

    @Override
    public Integer call() {
      CommandLine command = spec.commandLine();
      Set<JobStatus> statuses = statuses(command, JobStatus.class, status);
      Instant from = since(command, since, Instant.now());
      int max = limit(command, listing.limit);
      PublisherConfig config = publisherConfig(command, target, reading, System.getenv());
      String only = platform(command, config, listing.platform);
      try (Opened fleet = open(target, config)) {
        List<Job> jobs = fleet.reader().jobs(statuses, only, from, max);
        Map<JobKey, String> why = fleet.reader().why(jobs);
        print(jobs, why, reading.output, target.out());
      }
      return 0;
    }

    static void print(List<Job> jobs, Map<JobKey, String> why, Output output, PrintWriter out) {
      if (output == Output.json) {
        var array = FleetJson.array();
        jobs.forEach(j -> array.add(FleetJson.job(j, why.get(j.key()))));
        out.println(FleetJson.print(array));
        return;
      }
      TextTable table =
          new TextTable("", "JOB", "ATTEMPT", "STATUS", "PLATFORM", "QUEUED AT", "RUNNER", "WHY");
      for (Job j : jobs) {
        table.row(
            j.key().jobId(),
            j.key().runAttempt(),
            j.status(),
            j.platform(),
            time(j.queuedAt()),
            j.ranOn() != null ? j.ranOn() : j.dispatchedRunner(),
            why.get(j.key()));
      }
      if (table.isEmpty()) {
        out.println("no jobs match");
      } else {
        table.print(out);
      }
    }
  }

  /** {@code runfleet runners}. */
  @Command(name = "runners", description = "Runners newest first: platform, status, job, host.")
  static final class Runners implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin RunfleetCli.Target target = new RunfleetCli.Target();
    @Mixin Reading reading = new Reading();
    @Mixin Listing listing = new Listing();

    @Option(
        names = "--status",
        paramLabel = "S",
        split = ",",
        description =
            "Only these statuses: REQUESTED, LAUNCHED, BUSY, STOPPED, FAILED (any case,"
                + " comma-separated).")
    List<String> status = List.of();

    @Override
    public Integer call() {
      CommandLine command = spec.commandLine();
      Set<RunnerStatus> statuses = statuses(command, RunnerStatus.class, status);
      int max = limit(command, listing.limit);
      PublisherConfig config = publisherConfig(command, target, reading, System.getenv());
      String only = platform(command, config, listing.platform);
      try (Opened fleet = open(target, config)) {
        print(fleet.reader().runners(statuses, only, max), reading.output, target.out());
      }
      return 0;
    }

    static void print(List<Runner> runners, Output output, PrintWriter out) {
      if (output == Output.json) {
        var array = FleetJson.array();
        runners.forEach(r -> array.add(FleetJson.runner(r)));
        out.println(FleetJson.print(array));
        return;
      }
      TextTable table = runnerTable("");
      runners.forEach(r -> runnerRow(table, r));
      if (table.isEmpty()) {
        out.println("no runners match");
      } else {
        table.print(out);
      }
    }
  }

  static TextTable runnerTable(String indent) {
    return new TextTable(
        indent, "RUNNER", "PLATFORM", "STATUS", "JOB", "HOST", "SLOT", "CREATED", "DETAIL");
  }

  static void runnerRow(TextTable table, Runner r) {
    table.row(
        r.name(),
        r.platform(),
        r.status(),
        r.jobKey() == null ? null : r.jobKey().asString(),
        r.hostId(),
        r.slotReleased() ? "released" : "held",
        time(r.createdAt()),
        r.detail());
  }

  /** {@code runfleet job ID}. */
  @Command(
      name = "job",
      description = {
        "One job: its runner(s), its whole event ledger, and why it is where it is, in one"
            + " sentence."
      })
  static final class JobCommand implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin RunfleetCli.Target target = new RunfleetCli.Target();
    @Mixin Reading reading = new Reading();

    @Parameters(index = "0", paramLabel = "ID", description = "GitHub's workflow job id.")
    long id;

    @Option(
        names = "--attempt",
        paramLabel = "N",
        description = "The run attempt (default: the latest runfleet knows).")
    Integer attempt;

    @Override
    public Integer call() {
      CommandLine command = spec.commandLine();
      if (id < 1) {
        throw new ParameterException(command, "ID must be a positive job id, was " + id);
      }
      if (attempt != null && attempt < 1) {
        throw new ParameterException(command, "--attempt must be 1 or more, was " + attempt);
      }
      PublisherConfig config = publisherConfig(command, target, reading, System.getenv());
      try (Opened fleet = open(target, config)) {
        JobDetail detail =
            fleet
                .reader()
                .job(id, attempt)
                .orElseThrow(
                    () ->
                        new CliErrors.Failure(
                            "no job "
                                + id
                                + (attempt == null ? "" : " attempt " + attempt)
                                + " in table "
                                + config.table()
                                + " (items live "
                                + dev.runfleet.aws.JobsTable.RETENTION.toDays()
                                + " days; 'runfleet jobs' lists those there are)",
                            null));
        print(detail, reading.output, target.out());
      }
      return 0;
    }

    static void print(JobDetail detail, Output output, PrintWriter out) {
      if (output == Output.json) {
        out.println(FleetJson.print(FleetJson.detail(detail)));
        return;
      }
      Job j = detail.job();
      out.printf(
          "job %d attempt %d: %s%s  (%s, labels %s)%n",
          j.key().jobId(),
          j.key().runAttempt(),
          j.status(),
          j.platform() == null ? "" : " on " + j.platform(),
          j.repository(),
          j.labels());
      out.println("why: " + detail.why());
      out.println("queued at: " + time(j.queuedAt()));
      out.println("runners:");
      TextTable runners = runnerTable("  ");
      detail.runners().forEach(r -> runnerRow(runners, r));
      if (runners.isEmpty()) {
        out.println("  none requested");
      } else {
        runners.print(out);
      }
      out.println("events:");
      TextTable events = new TextTable("  ", "KIND", "TIME", "DELIVERY", "ACTION", "RUNNER");
      detail
          .events()
          .forEach(
              e ->
                  events.row(
                      e.kind(),
                      e.time().toString(),
                      e.deliveryId(),
                      e.action() + e.conclusion().map(c -> " (" + c + ")").orElse(""),
                      e.runner().orElse(null)));
      if (events.isEmpty()) {
        out.println("  none");
      } else {
        events.print(out);
      }
    }
  }
}
