package dev.runfleet.local.cli;

import dev.runfleet.local.sim.SimJob;
import dev.runfleet.local.sim.WebhookSender;
import dev.runfleet.local.sim.WorkflowJobPayloads;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code runfleet send}: one signed {@code workflow_job} webhook, as GitHub delivers it. */
@Command(
    name = "send",
    sortOptions = false,
    description = {
      "Send one workflow_job webhook exactly as GitHub does: the body in the shape of GitHub's"
          + " example payloads, POSTed as JSON with X-GitHub-Event: workflow_job, a fresh"
          + " X-GitHub-Delivery id and the HMAC-SHA256 signature X-Hub-Signature-256.",
      "Prints what it sent, then the status and body answered."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:the receiver answered 2xx",
      "1:it answered otherwise, or could not be reached",
      "2:invalid options"
    })
final class SendCommand implements Callable<Integer> {

  static final List<String> ACTIONS = List.of("queued", "in_progress", "completed");
  static final String DEFAULT_URL = "http://127.0.0.1:8080/webhook";

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ACTION", description = "queued, in_progress or completed.")
  String action;

  @Option(names = "--job", required = true, paramLabel = "ID", description = "The job's id.")
  long job;

  @Option(
      names = "--labels",
      required = true,
      split = ",",
      paramLabel = "LABEL[,LABEL...]",
      description = "The job's runs-on labels, e.g. self-hosted,linux,x64,fargate.")
  List<String> labels;

  @Option(
      names = "--runner",
      paramLabel = "NAME",
      description = "The runner GitHub reports the job on; required for in_progress and completed.")
  String runner;

  @Option(
      names = "--secret",
      defaultValue = "${env:" + RunfleetCli.SECRET_ENV + "}",
      paramLabel = "SECRET",
      description = "The webhook secret to sign with (default: $" + RunfleetCli.SECRET_ENV + ").")
  String secret;

  @Option(
      names = "--url",
      converter = OptionChecks.HttpUrl.class,
      defaultValue = DEFAULT_URL,
      paramLabel = "URL",
      description = "Where to POST (default ${DEFAULT-VALUE}: a running 'runfleet local').")
  URI url;

  @Option(
      names = "--run-attempt",
      defaultValue = "1",
      paramLabel = "N",
      description = "The run attempt, from 1 (default ${DEFAULT-VALUE}).")
  int runAttempt;

  @Option(
      names = "--repo",
      defaultValue = "octo-org/octo-repo",
      paramLabel = "OWNER/NAME",
      description =
          "The repository; its owner is sent as the organisation (default ${DEFAULT-VALUE}).")
  String repo;

  @Option(
      names = "--installation",
      defaultValue = "1",
      paramLabel = "ID",
      description = "The GitHub App installation id (default ${DEFAULT-VALUE}).")
  long installation;

  @Override
  public Integer call() throws InterruptedException {
    String body = body(Instant.now());
    String signingSecret = RunfleetCli.secret(spec.commandLine(), "--secret", secret);
    PrintWriter out = spec.commandLine().getOut();
    WebhookSender.Answer answer;
    try {
      answer = new WebhookSender(url, signingSecret).deliver("workflow_job", body);
    } catch (IOException e) {
      throw CliErrors.unreachable(url, "--url", e);
    }
    out.printf(
        "sent workflow_job %s for job %d (attempt %d) to %s, delivery %s%n",
        action, job, runAttempt, url, answer.deliveryId());
    out.printf("answer: %d %s%n", answer.status(), answer.body().strip());
    out.flush();
    return answer.status() >= 200 && answer.status() < 300 ? 0 : CliErrors.FAILED;
  }

  /** The body to send, every option checked first. */
  String body(Instant now) {
    CommandLine command = spec.commandLine();
    if (!ACTIONS.contains(action)) {
      throw new ParameterException(
          command,
          "ACTION must be one of " + String.join(", ", ACTIONS) + ", was '" + action + "'");
    }
    if (job < 1) {
      throw new ParameterException(command, "--job must be a positive id, was " + job);
    }
    List<String> given = labels.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    if (given.isEmpty()) {
      throw new ParameterException(command, "--labels must name at least one label");
    }
    if (runner == null && !"queued".equals(action)) {
      throw new ParameterException(
          command, "--runner NAME is required for " + action + ": GitHub reports the runner");
    }
    OptionChecks.atLeast(command, "--run-attempt", runAttempt, 1);
    if (!repo.matches("[A-Za-z0-9-]+/[A-Za-z0-9._-]+")) {
      throw new ParameterException(command, "--repo must be OWNER/NAME, was '" + repo + "'");
    }
    if (installation < 1) {
      throw new ParameterException(
          command, "--installation must be a positive id, was " + installation);
    }
    String owner = repo.substring(0, repo.indexOf('/'));
    SimJob simJob =
        new SimJob(job, job, runAttempt, given, repo, owner, installation, Duration.ZERO, now);
    return WorkflowJobPayloads.of(
        simJob,
        action,
        action,
        runner == null ? null : WorkflowJobPayloads.runnerId(runner),
        runner,
        "completed".equals(action) ? "success" : null,
        now);
  }
}
