package dev.runfleet.common.port;

import java.security.SecureRandom;
import java.util.HexFormat;

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

  /** A new name under {@link #runnerPrefix}. */
  public static String fresh(String runnerPrefix) {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return runnerPrefix + HexFormat.of().formatHex(bytes);
  }
}
