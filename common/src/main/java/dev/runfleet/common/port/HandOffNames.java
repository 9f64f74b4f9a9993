package dev.runfleet.common.port;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The naming rule of hand-over secrets, for every {@link JitHandOff}: {@code
 * <prefix>/<platform>/<runner>/<random>}. The runner's part lets a retry or a tear-down find its
 * secrets by prefix; the random part (128 bits) keeps a job from deriving another runner's.
 */
public final class HandOffNames {

  private static final SecureRandom RANDOM = new SecureRandom();

  private HandOffNames() {}

  /** Every secret of the runner starts with this, slash included. */
  public static String runnerPrefix(String prefix, String platform, String runnerName) {
    return prefix + "/" + platform + "/" + runnerName + "/";
  }

  /**
   * The platform and runner a name under {@code prefix} belongs to, or empty for a name that does
   * not follow the rule (someone else's secret under the same prefix: never touched).
   */
  public static Optional<JitHandOff.HandOffSecret> parse(
      String prefix, String name, Instant createdAt) {
    String base = prefix + "/";
    if (!name.startsWith(base)) {
      return Optional.empty();
    }
    String[] parts = name.substring(base.length()).split("/", -1);
    if (parts.length != 3
        || parts[0].isEmpty()
        || parts[1].isEmpty()
        || !parts[2].matches("[0-9a-f]{32}")) {
      return Optional.empty();
    }
    return Optional.of(new JitHandOff.HandOffSecret(name, parts[0], parts[1], createdAt));
  }

  /** A new name under {@link #runnerPrefix}. */
  public static String fresh(String runnerPrefix) {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return runnerPrefix + HexFormat.of().formatHex(bytes);
  }
}
