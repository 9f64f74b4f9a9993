package dev.runfleet.orchestrators.github;

import dev.runfleet.orchestrators.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Records each wait and moves the test clock by it instead of sleeping. */
final class RecordingSleeper implements Sleeper {

  private final MutableClock clock;
  private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

  RecordingSleeper(MutableClock clock) {
    this.clock = clock;
  }

  @Override
  public void sleep(Duration duration) {
    waits.add(duration);
    clock.advance(duration);
  }

  List<Duration> waits() {
    return List.copyOf(waits);
  }
}
