package dev.runfleet.producer.intake;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers every count the intake made, by name (rejections as {@code rejected:<reason>}). */
final class RecordingMetrics implements IntakeMetrics {

  final List<String> counts = new CopyOnWriteArrayList<>();

  @Override
  public void received() {
    counts.add("received");
  }

  @Override
  public void accepted() {
    counts.add("accepted");
  }

  @Override
  public void duplicate() {
    counts.add("duplicate");
  }

  @Override
  public void ignored() {
    counts.add("ignored");
  }

  @Override
  public void rejected(Rejection reason) {
    counts.add("rejected:" + reason.dimension());
  }

  @Override
  public void storeUnavailable() {
    counts.add("unavailable");
  }

  @Override
  public void hookRangesUnavailable() {
    counts.add("hook-ranges-unavailable");
  }
}
