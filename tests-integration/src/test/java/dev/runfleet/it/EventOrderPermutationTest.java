package dev.runfleet.it;

import static dev.runfleet.it.support.Fleets.within;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.common.domain.Job;
import dev.runfleet.common.domain.JobKey;
import dev.runfleet.common.domain.JobStatus;
import dev.runfleet.it.support.Fleets;
import dev.runfleet.it.support.GitHubWebhooks;
import dev.runfleet.it.support.GitHubWebhooks.Reply;
import dev.runfleet.it.support.Jobs;
import dev.runfleet.local.runtime.LocalRuntime;
import dev.runfleet.local.sim.SimJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GitHub's webhooks arrive in any order: the job converges to COMPLETED for every one of the 24
 * orders of its four events, and a job GitHub already started elsewhere never gets a runner.
 *
 * <p>The job runs on GitHub's runner "GitHub Actions 5", not on one of ours. Where {@code queued}
 * comes first the publisher may request a runner before the job starts; the simulated GitHub does
 * not know these jobs, so such a runner stays idle, and the caps are large enough for that not to
 * matter.
 */
class EventOrderPermutationTest {

  /** One of the four deliveries of a job's life. */
  enum Delivery {
    QUEUED(Jobs::queued),
    QUEUED_WITH_STATUS_WAITING(Jobs::queuedWaiting),
    IN_PROGRESS(Jobs::inProgressOnGitHubRunner),
    COMPLETED(Jobs::completedOnGitHubRunner);

    private final Function<SimJob, byte[]> body;

    Delivery(Function<SimJob, byte[]> body) {
      this.body = body;
    }
  }

  private static LocalRuntime runtime;
  private static GitHubWebhooks gitHub;

  @BeforeAll
  static void start() {
    String secret = Fleets.newSecret();
    runtime =
        Fleets.start(
            secret, Map.of("fargate", 100, "ec2-linux-x64", 100, "ec2-linux-arm64", 100), 300);
    gitHub = new GitHubWebhooks(runtime.baseUri(), secret);
  }

  @AfterAll
  static void stop() {
    if (runtime != null) {
      runtime.close();
    }
  }

  static Stream<Arguments> everyOrder() {
    List<List<Delivery>> orders = new ArrayList<>();
    permute(new ArrayList<>(), new ArrayList<>(List.of(Delivery.values())), orders);
    assertThat(orders).hasSize(24).doesNotHaveDuplicates();
    return orders.stream().map(Arguments::of);
  }

  private static void permute(
      List<Delivery> prefix, List<Delivery> rest, List<List<Delivery>> out) {
    if (rest.isEmpty()) {
      out.add(List.copyOf(prefix));
      return;
    }
    for (Delivery next : List.copyOf(rest)) {
      prefix.add(next);
      rest.remove(next);
      permute(prefix, rest, out);
      rest.add(next);
      prefix.remove(prefix.size() - 1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyOrder")
  void anyOrderOfTheFourEvents_convergesToCompleted(List<Delivery> order) {
    SimJob job = Jobs.job(Jobs.nextId(), Jobs.FARGATE, Duration.ofMillis(100));
    JobKey key = new JobKey(job.jobId(), job.runAttempt());

    for (Delivery delivery : order) {
      Reply reply = gitHub.deliver("workflow_job", delivery.body.apply(job));
      assertThat(reply.status()).as("%s of %s answered %s", delivery, order, reply).isEqualTo(200);
    }

    within(Fleets.PIPELINE)
        .untilAsserted(
            () ->
                assertThat(Fleets.job(runtime, key))
                    .get()
                    .extracting(Job::status)
                    .isEqualTo(JobStatus.COMPLETED));
    Job done = Fleets.job(runtime, key).orElseThrow();
    assertThat(done.platform()).isEqualTo("fargate");
    assertThat(done.ranOn()).isEqualTo(Jobs.GITHUB_RUNNER);

    int queued = order.indexOf(Delivery.QUEUED);
    boolean startedBeforeQueued =
        order.indexOf(Delivery.IN_PROGRESS) < queued || order.indexOf(Delivery.COMPLETED) < queued;
    if (startedBeforeQueued) {
      // The publisher reacts within tens of milliseconds: a runner for this job would appear here.
      within(Duration.ofSeconds(5))
          .during(Duration.ofMillis(400))
          .until(() -> Fleets.runnersInvolving(runtime, key).isEmpty());
      assertThat(Fleets.job(runtime, key)).get().extracting(Job::dispatchCount).isEqualTo(0);
    }
    // Settled: later duplicates of any of the four leave the job where it is.
    for (Delivery delivery : order) {
      assertThat(gitHub.deliver("workflow_job", delivery.body.apply(job)).result())
          .isEqualTo("duplicate");
    }
    assertThat(Fleets.job(runtime, key))
        .get()
        .extracting(Job::status)
        .isEqualTo(JobStatus.COMPLETED);
  }
}
