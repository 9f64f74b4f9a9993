package dev.runfleet.local.sim;

/** The one check every fault rate passes. */
final class Rates {

  private Rates() {}

  static void check(String name, double rate) {
    if (!(rate >= 0.0 && rate <= 1.0)) {
      throw new IllegalArgumentException(name + " must be within [0, 1], was " + rate);
    }
  }
}
