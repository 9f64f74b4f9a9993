package dev.runfleet.aws.lambda;

import java.io.IOException;
import java.io.InputStream;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A function's SnapStart priming: before Lambda snapshots the initialised function, runs the
 * function's hot path once without side effects (reads, never writes), so the classes its first
 * invocation would load and the code it would run are in the snapshot. A failure is logged and the
 * snapshot goes on: priming only saves time. Nothing needs renewing after a restore: the SDK
 * replaces connections that died with the snapshot on first use, and cached parameters expire by
 * the clock, which has moved on.
 */
public final class SnapStartPriming implements Resource {

  /** The hot path once, reading but never writing. */
  @FunctionalInterface
  public interface Step {
    void run() throws Exception;
  }

  private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);

  private final String path;
  private final Step step;

  /**
   * @param path what is primed, for the log line ("the webhook path")
   * @param step the reads that prime it
   */
  public SnapStartPriming(String path, Step step) {
    this.path = path;
    this.step = step;
  }

  /**
   * Registers this priming with the JVM's global CRaC context (Lambda's SnapStart calls it before
   * the snapshot; elsewhere nothing does). CRaC contexts may hold resources only weakly: the caller
   * keeps the returned priming referenced for as long as the function lives.
   */
  public SnapStartPriming register() {
    Core.getGlobalContext().register(this);
    return this;
  }

  /**
   * The bytes of an event or payload shipped in the function's jar for its priming.
   *
   * @throws IllegalStateException when the jar does not hold it
   */
  public static byte[] shipped(Class<?> owner, String resource) throws IOException {
    try (InputStream in = owner.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing from the jar");
      }
      return in.readAllBytes();
    }
  }

  /** Runs the priming now, as Lambda does before the snapshot; failures propagate. */
  public void prime() throws Exception {
    step.run();
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    try {
      prime();
      LOG.info("primed {} for the snapshot", path);
    } catch (Exception e) {
      LOG.warn("priming {} failed, the snapshot is taken unprimed: {}", path, e.toString());
    }
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    // Nothing to renew (see the class comment).
  }
}
