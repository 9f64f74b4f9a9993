package dev.runfleet.publisher.properties;

import dev.runfleet.common.config.RuntimeParameters.LaunchRate;
import dev.runfleet.common.domain.Platform;
import dev.runfleet.publisher.flow.FlowSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's knobs as a test turns them mid-run, like an SSM parameter changing under running
 * publishers. Remembers, per thread, the caps it last handed out, so a test can check that a
 * reservation carries the caps its own pass read and not some other number.
 */
final class TunableSettings implements FlowSettings {

  static final String GLOBAL = "global";

  private final Map<String, Integer> caps = new ConcurrentHashMap<>();
  private final ThreadLocal<Map<String, Integer>> lastRead = ThreadLocal.withInitial(HashMap::new);
  private volatile boolean paused;
  private volatile LaunchRate rate = new LaunchRate(1000, 1000);

  void cap(String platformOrGlobal, int cap) {
    caps.put(platformOrGlobal, cap);
  }

  int cap(String platformOrGlobal) {
    return caps.getOrDefault(platformOrGlobal, 0);
  }

  void rate(LaunchRate rate) {
    this.rate = rate;
  }

  void paused(boolean paused) {
    this.paused = paused;
  }

  /** The cap this thread last read for {@code platformOrGlobal}, if it read one. */
  OptionalInt lastReadByThisThread(String platformOrGlobal) {
    Integer cap = lastRead.get().get(platformOrGlobal);
    return cap == null ? OptionalInt.empty() : OptionalInt.of(cap);
  }

  /** The caps this thread read so far, to put back after a nested pass on the same thread. */
  Map<String, Integer> readsOfThisThread() {
    return Map.copyOf(lastRead.get());
  }

  void restoreReadsOfThisThread(Map<String, Integer> reads) {
    lastRead.get().clear();
    lastRead.get().putAll(reads);
  }

  @Override
  public int platformCap(Platform platform) {
    int cap = cap(platform.name());
    lastRead.get().put(platform.name(), cap);
    return cap;
  }

  @Override
  public int globalCap() {
    int cap = cap(GLOBAL);
    lastRead.get().put(GLOBAL, cap);
    return cap;
  }

  @Override
  public boolean paused() {
    return paused;
  }

  @Override
  public LaunchRate launchRate() {
    return rate;
  }
}
