package dev.runfleet.common.port;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link JitHandOff} in process memory, for the local runtime's simulated hosts and for tests:
 * the same contract as the Secrets Manager adapter, including random names, host binding and
 * take-once reads by the runner.
 */
public final class InMemoryJitHandOff implements JitHandOff {

  private static final String PREFIX = "local/jit";

  private final Map<String, JitConfig> secrets = new ConcurrentHashMap<>();
  private final Map<String, String> hosts = new ConcurrentHashMap<>();
  private final Map<String, String> lastReference = new ConcurrentHashMap<>();
  private final Map<String, Instant> storedAt = new ConcurrentHashMap<>();
  private final Clock clock;

  public InMemoryJitHandOff() {
    this(Clock.systemUTC());
  }

  public InMemoryJitHandOff(Clock clock) {
    this.clock = clock;
  }

  @Override
  public StoreResult store(String platform, String runnerName, JitConfig config) {
    String base = HandOffNames.runnerPrefix(PREFIX, platform, runnerName);
    String reference =
        secrets.keySet().stream()
            .filter(name -> name.startsWith(base))
            .findFirst()
            .orElseGet(() -> HandOffNames.fresh(base));
    secrets.put(reference, config);
    storedAt.putIfAbsent(reference, clock.instant());
    lastReference.put(platform + "/" + runnerName, reference);
    return new StoreResult.Stored(reference);
  }

  @Override
  public BindResult bindToHost(String reference, String hostId) {
    if (!secrets.containsKey(reference)) {
      return BindResult.REFUSED;
    }
    hosts.put(reference, hostId);
    return BindResult.BOUND;
  }

  @Override
  public Presence presence(String reference) {
    return secrets.containsKey(reference) ? Presence.HELD : Presence.GONE;
  }

  @Override
  public RemoveResult remove(String reference) {
    secrets.remove(reference);
    hosts.remove(reference);
    storedAt.remove(reference);
    return RemoveResult.REMOVED;
  }

  @Override
  public RemoveResult removeAll(String platform, String runnerName) {
    String base = HandOffNames.runnerPrefix(PREFIX, platform, runnerName);
    secrets.keySet().removeIf(name -> name.startsWith(base));
    hosts.keySet().removeIf(name -> name.startsWith(base));
    storedAt.keySet().removeIf(name -> name.startsWith(base));
    return RemoveResult.REMOVED;
  }

  /** One page: the local store answers at once. */
  @Override
  public Listing<HandOffSecret> list(Listing.Pages pages) {
    if (!pages.getAsBoolean()) {
      return new Listing<>(List.of(), false);
    }
    List<HandOffSecret> found = new ArrayList<>();
    for (Map.Entry<String, Instant> secret : storedAt.entrySet()) {
      HandOffNames.parse(PREFIX, secret.getKey(), secret.getValue()).ifPresent(found::add);
    }
    return new Listing<>(found, true);
  }

  /** What a runner does at boot: read its config and delete it in one step. */
  public Optional<JitConfig> take(String reference) {
    hosts.remove(reference);
    storedAt.remove(reference);
    return Optional.ofNullable(secrets.remove(reference));
  }

  /**
   * What a runner host does at boot, under the rule IAM enforces in AWS: only the host the secret
   * is bound to may read it, so this is empty until the orchestrator has bound it to {@code hostId}
   * (the host retries, as the real one does) and once it is gone.
   */
  public Optional<JitConfig> take(String reference, String hostId) {
    synchronized (this) {
      if (!hostId.equals(hosts.get(reference))) {
        return Optional.empty();
      }
      return take(reference);
    }
  }

  /** Whether a secret still holds a config (taken, removed and never-stored ones do not). */
  public boolean holds(String reference) {
    return secrets.containsKey(reference);
  }

  /** The name last stored for a runner (tests and the local runtime look secrets up by it). */
  public String reference(String platform, String runnerName) {
    return lastReference.get(platform + "/" + runnerName);
  }

  /** The host a secret is bound to, if any. */
  public Optional<String> boundHost(String reference) {
    return Optional.ofNullable(hosts.get(reference));
  }

  /** The references still holding a config (none once every runner booted or was torn down). */
  public Set<String> held() {
    return Set.copyOf(secrets.keySet());
  }
}
