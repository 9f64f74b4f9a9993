package dev.runfleet.local.chaos;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** How many faults of each kind a chaos run injected, by kind; safe from any thread. */
public final class FaultCounts {

  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  public void add(String kind) {
    counts.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
  }

  public void addAll(Map<String, Integer> more) {
    more.forEach((kind, n) -> counts.computeIfAbsent(kind, k -> new AtomicInteger()).addAndGet(n));
  }

  /** Counts by kind, sorted by name. */
  public Map<String, Integer> snapshot() {
    Map<String, Integer> out = new TreeMap<>();
    counts.forEach((kind, n) -> out.put(kind, n.get()));
    return out;
  }
}
