package dev.runfleet.local.sim;

import java.util.Locale;
import java.util.Optional;

/**
 * What becomes of a simulated host: it runs its runner as usual, or fails in one of the ways cloud
 * hosts do. Each fate has a wire name ({@code dies-before-register}) for {@code POST /sim/jobs}.
 */
public enum HostFate {
  /** Boots, registers its runner, runs one job, exits. */
  NORMAL,
  /** Its compute ends while booting: the runner never registers, and the host is gone. */
  DIES_BEFORE_REGISTER,
  /** Stays up but its runner never registers (a hung boot script): only a deadline ends it. */
  NEVER_REGISTERS,
  /** Registers its runner, then its compute ends (idle or busy: a busy runner fails its job). */
  DIES_AFTER_REGISTER,
  /** Spot takes it back while it runs its job; the interruption is reported as a host end. */
  SPOT_INTERRUPTED;

  /** The name used over HTTP, such as {@code never-registers}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The fate named {@code wire} ({@code never-registers}), or empty for an unknown name. */
  public static Optional<HostFate> fromWire(String wire) {
    for (HostFate fate : values()) {
      if (fate.wireName().equals(wire)) {
        return Optional.of(fate);
      }
    }
    return Optional.empty();
  }
}
