package dev.runfleet.orchestrators.host;

import dev.runfleet.common.port.RunnerLauncher.LaunchRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tags that link a host to its runner record: who owns it (the reconciler and IAM conditions
 * rely on them) and where its JIT config waits. Names only, never a secret.
 */
public final class HostTags {

  public static final String RUNNER = "runfleet:runner";
  public static final String PLATFORM = "runfleet:platform";
  public static final String STAGE = "runfleet:stage";
  public static final String JIT_SECRET = "runfleet:jit-secret";

  private HostTags() {}

  static Map<String, String> of(LaunchRequest request, String stage) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(RUNNER, request.runnerName());
    tags.put(PLATFORM, request.platform());
    tags.put(STAGE, stage);
    tags.put(JIT_SECRET, request.jitConfigRef());
    return tags;
  }
}
