package dev.runfleet.common.port;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link JitHandOff} in process memory, for the local runtime's simulated hosts and for tests:
 * the same contract as the Secrets Manager adapter, including take-once reads by the runner.
 */
public final class InMemoryJitHandOff implements JitHandOff {

  private final Map<String, JitConfig> secrets = new ConcurrentHashMap<>();

  @Override
  public String reference(String platform, String runnerName) {
    return "local/jit/" + platform + "/" + runnerName;
  }

  @Override
  public StoreResult store(String reference, String runnerName, JitConfig config) {
    secrets.put(reference, config);
    return new StoreResult.Stored(reference);
  }

  @Override
  public RemoveResult remove(String reference) {
    secrets.remove(reference);
    return RemoveResult.REMOVED;
  }

  /** What a runner does at boot: read its config and delete it in one step. */
  public Optional<JitConfig> take(String reference) {
    return Optional.ofNullable(secrets.remove(reference));
  }

  /** The references still holding a config (none once every runner booted or was torn down). */
  public Set<String> held() {
    return Set.copyOf(secrets.keySet());
  }
}
