package dev.runfleet.orchestrators.testing;

import dev.runfleet.common.domain.GitHubScope;
import dev.runfleet.common.port.GitHubRunners;
import dev.runfleet.common.port.JitConfig;
import dev.runfleet.common.port.Listing;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A {@link GitHubRunners} that records every call and answers what the test scripted. By default it
 * mints a JIT config with a fresh runner id and a random encoded config (a stand-in for the bearer
 * credential).
 */
public final class RecordingGitHub implements GitHubRunners {

  /** One {@link #deleteRunner} call. */
  public record Deletion(GitHubScope scope, long runnerId) {}

  private final AtomicLong runnerIds = new AtomicLong(9_000);
  private final List<JitRequest> jitRequests = Collections.synchronizedList(new ArrayList<>());
  private final List<JitConfig> minted = Collections.synchronizedList(new ArrayList<>());
  private final List<Deletion> deletions = Collections.synchronizedList(new ArrayList<>());
  private volatile Function<JitRequest, JitResult> onJit = request -> mint();
  private volatile DeleteResult deleteResult = DeleteResult.DELETED;
  private final java.util.Map<Long, JobLookup> jobs =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Map<Long, RunnerLookup> runners =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger lookups =
      new java.util.concurrent.atomic.AtomicInteger();
  private final List<Long> reruns = Collections.synchronizedList(new ArrayList<>());
  private volatile RerunResult rerunResult = RerunResult.RERUN;

  /**
   * What every following JIT request does and answers; {@link #mint()} gives the default answer.
   */
  public RecordingGitHub onJit(Function<JitRequest, JitResult> behaviour) {
    this.onJit = behaviour;
    return this;
  }

  public RecordingGitHub answerJit(JitResult result) {
    return onJit(request -> result);
  }

  public RecordingGitHub answerDelete(DeleteResult result) {
    this.deleteResult = result;
    return this;
  }

  /** A freshly minted JIT config, recorded in {@link #minted()}. */
  public JitResult.Minted mint() {
    JitConfig config =
        new JitConfig(
            runnerIds.incrementAndGet(),
            "jit-secret-" + UUID.randomUUID().toString().replace("-", ""));
    minted.add(config);
    return new JitResult.Minted(config);
  }

  @Override
  public JitResult createJitConfig(JitRequest request) {
    jitRequests.add(request);
    return onJit.apply(request);
  }

  @Override
  public DeleteResult deleteRunner(GitHubScope scope, long runnerId) {
    deletions.add(new Deletion(scope, runnerId));
    return deleteResult;
  }

  /** What {@link #job} answers for {@code jobId} from now on. */
  public RecordingGitHub answerJob(long jobId, JobLookup answer) {
    jobs.put(jobId, answer);
    return this;
  }

  /** What {@link #runner} answers for {@code runnerId} from now on. */
  public RecordingGitHub answerRunner(long runnerId, RunnerLookup answer) {
    runners.put(runnerId, answer);
    return this;
  }

  /** Job and runner lookups made so far. */
  public int lookups() {
    return lookups.get();
  }

  @Override
  public JobLookup job(GitHubScope scope, long jobId) {
    lookups.incrementAndGet();
    return jobs.getOrDefault(jobId, new JobLookup.NotFound("not scripted"));
  }

  @Override
  public RunnerLookup runner(GitHubScope scope, long runnerId) {
    lookups.incrementAndGet();
    return runners.getOrDefault(runnerId, new RunnerLookup.NotFound("not scripted"));
  }

  @Override
  public RerunResult rerunJob(GitHubScope scope, long jobId) {
    reruns.add(jobId);
    return rerunResult;
  }

  public RecordingGitHub answerRerun(RerunResult result) {
    this.rerunResult = result;
    return this;
  }

  /** Job ids {@link #rerunJob} was called for. */
  public List<Long> reruns() {
    return List.copyOf(reruns);
  }

  public List<JitRequest> jitRequests() {
    return List.copyOf(jitRequests);
  }

  public List<JitConfig> minted() {
    return List.copyOf(minted);
  }

  public List<Deletion> deletions() {
    return List.copyOf(deletions);
  }

  public void forget() {
    jitRequests.clear();
    deletions.clear();
  }

  /** The runners {@link #answerRunner} registered as found, in one page. */
  @Override
  public Listing<RunnerLookup.Found> listRunners(GitHubScope scope, Listing.Pages pages) {
    if (!pages.getAsBoolean()) {
      return new Listing<>(List.of(), false);
    }
    lookups.incrementAndGet();
    return new Listing<>(
        runners.values().stream()
            .filter(RunnerLookup.Found.class::isInstance)
            .map(RunnerLookup.Found.class::cast)
            .toList(),
        true);
  }
}
