package dev.runfleet.local.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runfleet.common.domain.HostKind;
import dev.runfleet.common.port.HostLookup;
import dev.runfleet.common.port.InMemoryJitHandOff;
import dev.runfleet.common.port.JitConfig;
import dev.runfleet.common.port.Listing;
import dev.runfleet.common.port.RunnerLauncher;
import dev.runfleet.common.port.TaggedHosts;
import dev.runfleet.orchestrators.hostevents.HostEnd;
import dev.runfleet.orchestrators.hostevents.HostOwners;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runner hosts in-process, standing in for ECS tasks and EC2 instances: a launched host boots for a
 * while, takes its JIT config from the hand-over store (read and delete, as the real boot script
 * does), starts the runner with it (the simulated GitHub accepts it once), and shuts down when the
 * runner process exits. It counts hosts alive per platform at every moment, so a demo can prove no
 * cap was exceeded in compute, not only in the table.
 *
 * <p>A host meets a {@link HostFate}: scripted with {@link #fate} (or through a job's {@link
 * JobFaults}), else drawn from the seeded {@link HostFaults}, else {@link HostFate#NORMAL}. With no
 * faults set nothing is drawn and hosts behave as before.
 */
public final class SimulatedHosts
    implements RunnerLauncher, HostLookup, TaggedHosts, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatedHosts.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads of an unbound secret before a host gives up, 20 ms apart. */
  private static final int READ_ATTEMPTS = 250;

  /** The key under which counts across all platforms are kept. */
  public static final String GLOBAL = "global";

  /** Boot and failure behaviour. */
  public record Behaviour(Duration bootMin, Duration bootMax, double launchFailureRate) {}

  private final SimulatedGitHub gitHub;
  private final InMemoryJitHandOff handOff;
  private final Behaviour behaviour;
  private final ScheduledExecutorService scheduler =
      Executors.newScheduledThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "sim-hosts");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, Host> hosts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> alive = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> peak = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> launched = new ConcurrentHashMap<>();
  private final AtomicInteger sequence = new AtomicInteger();
  private final FaultDraws draws = new FaultDraws();
  private volatile HostFaults hostFaults = HostFaults.none();
  private final Map<String, HostFate> fates = new ConcurrentHashMap<>();

  /** The job key ({@code <jobId>-<runAttempt>}) at the end of {@code Runner.nameFor}'s names. */
  private static final Pattern JOB_IN_NAME = Pattern.compile("-(\\d+-\\d+)-\\d+$");

  private final class Host {
    final String id;
    final String runnerName;
    final String platform;
    final HostFate fate;
    final Instant launchedAt = Instant.now();
    volatile boolean up = true;

    Host(String id, String runnerName, String platform, HostFate fate) {
      this.id = id;
      this.runnerName = runnerName;
      this.platform = platform;
      this.fate = fate;
    }

    HostKind kind() {
      return kindOf.apply(platform);
    }

    /** Idempotent: the host's compute ends once. */
    synchronized boolean shutDown() {
      if (!up) {
        return false;
      }
      up = false;
      counter(alive, platform).decrementAndGet();
      counter(alive, GLOBAL).decrementAndGet();
      return true;
    }
  }

  private volatile Function<String, HostKind> kindOf = platform -> HostKind.ECS_FARGATE;
  private volatile Consumer<String> hostEvents = event -> {};

  public SimulatedHosts(SimulatedGitHub gitHub, InMemoryJitHandOff handOff, Behaviour behaviour) {
    this.gitHub = gitHub;
    this.handOff = handOff;
    this.behaviour = behaviour;
    gitHub.hostFates(this::fate);
  }

  /**
   * Random faults from now on, drawn from {@code faults.seed()}; {@link HostFaults#none()} ends
   * them.
   */
  public void faults(HostFaults faults) {
    draws.reseed(faults.seed());
    this.hostFaults = Objects.requireNonNull(faults, "faults");
  }

  /**
   * Scripts the fate of the next host launched under {@code key}: a runner name, or a job key
   * {@code <jobId>-<runAttempt>} ({@link SimulatedGitHub#jobKey}), which the first runner launched
   * for that job attempt takes (runner names end in {@code -<jobId>-<runAttempt>-<n>}). Used once.
   */
  public void fate(String key, HostFate fate) {
    fates.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(fate, "fate"));
  }

  /**
   * Faults met so far, by kind: {@code launch-failure} and each fate's wire name ({@code
   * never-registers}, ...), scripted or drawn.
   */
  public Map<String, Integer> faultCounts() {
    return draws.counts();
  }

  /** Hosts up now, across all platforms. */
  public int hostsAlive() {
    return counter(alive, GLOBAL).get();
  }

  /** Runner registrations the simulated GitHub holds now (minted or connected). */
  public int registrationsAlive() {
    return gitHub.registrationsAlive();
  }

  /** The launch's scripted fate (by runner name, then by job key), else one drawn. */
  private HostFate fateFor(String runnerName) {
    HostFate fate = fates.remove(runnerName);
    if (fate == null) {
      Matcher job = JOB_IN_NAME.matcher(runnerName);
      fate = job.find() ? fates.remove(job.group(1)) : null;
    }
    if (fate == null) {
      HostFaults faults = hostFaults;
      int drawn =
          draws.pick(
              faults.diesBeforeRegisterRate(),
              faults.neverRegistersRate(),
              faults.diesAfterRegisterRate(),
              faults.spotInterruptedRate());
      fate = drawn < 0 ? HostFate.NORMAL : HostFate.values()[drawn + 1];
    }
    if (fate != HostFate.NORMAL) {
      draws.count(fate.wireName());
    }
    return fate;
  }

  /**
   * Where host ends go, as EventBridge delivers them in AWS: a spot interruption of an EC2 host as
   * an {@code EC2 Spot Instance Interruption Warning}, the end of a Fargate host as an {@code ECS
   * Task State Change} to STOPPED. A killed EC2 instance sends nothing, as in AWS (no rule watches
   * instance state).
   */
  public SimulatedHosts emitHostEnds(Function<String, HostKind> kindOf, Consumer<String> events) {
    this.kindOf = kindOf;
    this.hostEvents = events;
    return this;
  }

  /** Spot takes the runner's host back: it ends at once, and its end is reported. */
  public boolean interrupt(String runnerName) {
    return end(runnerName, true);
  }

  /** The runner's host dies (its runner process is killed): it ends, and Fargate reports it. */
  public boolean kill(String runnerName) {
    return end(runnerName, false);
  }

  private boolean end(String runnerName, boolean spot) {
    Host host = hosts.get(runnerName);
    if (host == null || !host.shutDown()) {
      return false;
    }
    // GitHub loses the runner: an idle one disappears, a busy one fails its job.
    gitHub.disconnect(runnerName);
    HostKind kind = host.kind();
    if (kind == HostKind.EC2 && !spot) {
      return true;
    }
    hostEvents.accept(kind == HostKind.EC2 ? spotWarning(host) : taskStopped(host, spot));
    return true;
  }

  private static String spotWarning(Host host) {
    ObjectNode event = envelope("EC2 Spot Instance Interruption Warning", "aws.ec2");
    event.putObject("detail").put("instance-id", host.id).put("instance-action", "terminate");
    return event.toString();
  }

  private static String taskStopped(Host host, boolean spot) {
    ObjectNode event = envelope("ECS Task State Change", "aws.ecs");
    ObjectNode detail = event.putObject("detail");
    detail.put("clusterArn", "local");
    detail.put("taskArn", host.id);
    detail.put("lastStatus", "STOPPED");
    detail.put("desiredStatus", "STOPPED");
    detail.put("startedBy", host.runnerName);
    detail.put("stopCode", spot ? "SpotInterruption" : "EssentialContainerExited");
    detail.put(
        "stoppedReason",
        spot ? "Your Spot Task was interrupted." : "Essential container in task exited");
    detail.putArray("containers").addObject().put("name", "runner").put("exitCode", 137);
    return event.toString();
  }

  private static ObjectNode envelope(String detailType, String source) {
    ObjectNode event = JSON.createObjectNode();
    event.put("version", "0");
    event.put("id", UUID.randomUUID().toString());
    event.put("detail-type", detailType);
    event.put("source", source);
    event.put("time", Instant.now().toString());
    return event;
  }

  /** The local stand-in for the host tags lookup: every simulated host is this stage's. */
  public HostOwners.Owner owner(HostEnd end) {
    for (Host host : hosts.values()) {
      if (host.id.equals(end.hostId())) {
        return new HostOwners.Owner.Ours(host.runnerName, host.platform);
      }
    }
    return new HostOwners.Owner.NotOurs("no simulated host " + end.hostId());
  }

  @Override
  public LaunchOutcome launch(LaunchRequest request) {
    Host existing = hosts.get(request.runnerName());
    if (existing != null) {
      // Same client token, same answer: a retried launch does not start a second host.
      return new LaunchOutcome.Launched(existing.id);
    }
    if (behaviour.launchFailureRate() > 0
        && ThreadLocalRandom.current().nextDouble() < behaviour.launchFailureRate()) {
      return new LaunchOutcome.RetryLater("InsufficientInstanceCapacity (simulated)");
    }
    if (draws.roll("launch-failure", hostFaults.launchFailureRate())) {
      return new LaunchOutcome.RetryLater("InsufficientInstanceCapacity (simulated fault)");
    }
    Host host =
        new Host(
            "sim-" + request.platform() + "-" + sequence.incrementAndGet(),
            request.runnerName(),
            request.platform(),
            fateFor(request.runnerName()));
    if (hosts.putIfAbsent(request.runnerName(), host) != null) {
      return new LaunchOutcome.Launched(hosts.get(request.runnerName()).id);
    }
    int now = counter(alive, request.platform()).incrementAndGet();
    counter(peak, request.platform()).accumulateAndGet(now, Math::max);
    int all = counter(alive, GLOBAL).incrementAndGet();
    counter(peak, GLOBAL).accumulateAndGet(all, Math::max);
    counter(launched, request.platform()).incrementAndGet();
    String secret = request.jitConfigRef();
    scheduler.schedule(() -> boot(host, secret), bootMillis(), TimeUnit.MILLISECONDS);
    return new LaunchOutcome.Launched(host.id);
  }

  private void boot(Host host, String secret) {
    switch (host.fate) {
      case DIES_BEFORE_REGISTER -> {
        LOG.info("host {} of {} dies while booting (simulated fault)", host.id, host.runnerName);
        kill(host.runnerName);
      }
      case NEVER_REGISTERS ->
          LOG.info(
              "host {} of {} stays up without registering its runner (simulated fault)",
              host.id,
              host.runnerName);
      default -> boot(host, secret, 0);
    }
  }

  /**
   * Like runfleet-runner.sh: the secret becomes readable only once the orchestrator has bound it to
   * this host, after the launch call returned, so an early read is retried (bounded, as there).
   */
  private void boot(Host host, String secret, int attempt) {
    if (!host.up) {
      return;
    }
    if (handOff.boundHost(secret).isEmpty() && handOff.holds(secret) && attempt < READ_ATTEMPTS) {
      scheduler.schedule(() -> boot(host, secret, attempt + 1), 20, TimeUnit.MILLISECONDS);
      return;
    }
    JitConfig jitConfig = handOff.take(secret, host.id).orElse(null);
    if (jitConfig == null) {
      LOG.warn("host {} found no JIT config under {}; shutting down", host.id, secret);
      host.shutDown();
      return;
    }
    // Spot takes the host back halfway through the job it runs: the fleet has seen it start.
    Consumer<Duration> onStart =
        host.fate == HostFate.SPOT_INTERRUPTED
            ? runs ->
                scheduler.schedule(
                    () -> {
                      LOG.info(
                          "spot takes back host {} of busy runner {} (simulated fault)",
                          host.id,
                          host.runnerName);
                      interrupt(host.runnerName);
                    },
                    runs.toMillis() / 2,
                    TimeUnit.MILLISECONDS)
            : runs -> {};
    if (!gitHub.connect(jitConfig.encodedConfig(), onStart, host::shutDown)) {
      LOG.warn(
          "host {} could not register runner {}: JIT config refused", host.id, host.runnerName);
      host.shutDown();
      return;
    }
    if (host.fate == HostFate.DIES_AFTER_REGISTER) {
      long after = draws.between(50, 1000);
      scheduler.schedule(
          () -> {
            LOG.info("host {} of runner {} dies (simulated fault)", host.id, host.runnerName);
            kill(host.runnerName);
          },
          after,
          TimeUnit.MILLISECONDS);
    }
  }

  private long bootMillis() {
    long min = behaviour.bootMin().toMillis();
    long max = Math.max(min, behaviour.bootMax().toMillis());
    return min == max ? min : ThreadLocalRandom.current().nextLong(min, max + 1);
  }

  @Override
  public HostLookup find(String runnerName) {
    Host host = hosts.get(runnerName);
    return host != null && host.up ? new HostLookup.Found(host.id) : new HostLookup.None();
  }

  @Override
  public StopOutcome stop(String runnerName, String hostId) {
    Host host = hosts.get(runnerName);
    if (host != null && host.shutDown()) {
      gitHub.disconnect(runnerName);
    }
    return StopOutcome.STOPPED;
  }

  /** As DescribeTasks answers: a host this launcher never started is unknown to it, so gone. */
  @Override
  public HostState state(String platform, String runnerName, String hostId) {
    Host host = hosts.get(runnerName);
    return host != null && host.id.equals(hostId) && host.up ? HostState.ALIVE : HostState.GONE;
  }

  /** Every host still up, in one page: all of them carry this (the only) stage's tags. */
  @Override
  public Listing<TaggedHost> tagged(Listing.Pages pages) {
    if (!pages.getAsBoolean()) {
      return new Listing<>(List.of(), false);
    }
    return new Listing<>(
        hosts.values().stream()
            .filter(h -> h.up)
            .map(h -> new TaggedHost(h.platform, h.runnerName, h.id, h.launchedAt))
            .toList(),
        true);
  }

  public Map<String, Integer> alive() {
    return snapshot(alive);
  }

  public Map<String, Integer> peak() {
    return snapshot(peak);
  }

  public Map<String, Integer> launched() {
    return snapshot(launched);
  }

  private static Map<String, Integer> snapshot(Map<String, AtomicInteger> counters) {
    Map<String, Integer> out = new java.util.TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  private static AtomicInteger counter(Map<String, AtomicInteger> counters, String platform) {
    return counters.computeIfAbsent(platform, p -> new AtomicInteger());
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
