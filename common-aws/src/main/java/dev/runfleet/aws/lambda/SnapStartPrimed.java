package dev.runfleet.aws.lambda;

/**
 * A Lambda handler whose function primes its hot path for SnapStart: its Lambda constructor
 * registers {@link #snapStartPriming()} with the JVM's CRaC context, and {@code runfleet bench
 * coldstart --primed} runs the same priming before the first invocation it times.
 */
public interface SnapStartPrimed {

  SnapStartPriming snapStartPriming();
}
