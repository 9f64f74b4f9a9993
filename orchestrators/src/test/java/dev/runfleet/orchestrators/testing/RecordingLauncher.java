package dev.runfleet.orchestrators.testing;

import dev.runfleet.common.port.RunnerLauncher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/** A {@link RunnerLauncher} that records every call and answers what the test scripted. */
public final class RecordingLauncher implements RunnerLauncher {

  /** One {@link #stop} call. */
  public record Stop(String runnerName, String hostId) {}

  private final List<LaunchRequest> launches = Collections.synchronizedList(new ArrayList<>());
  private final List<Stop> stops = Collections.synchronizedList(new ArrayList<>());
  private volatile Function<LaunchRequest, LaunchOutcome> onLaunch =
      request -> new LaunchOutcome.Launched("host-" + request.runnerName());
  private volatile StopOutcome stopOutcome = StopOutcome.STOPPED;
  private volatile Function<String, HostLookup> onFind = name -> new HostLookup.None();

  /**
   * What every following launch does and answers (the default starts {@code host-<runner name>}).
   */
  public RecordingLauncher onLaunch(Function<LaunchRequest, LaunchOutcome> behaviour) {
    this.onLaunch = behaviour;
    return this;
  }

  public RecordingLauncher answerLaunch(LaunchOutcome outcome) {
    return onLaunch(request -> outcome);
  }

  public RecordingLauncher answerStop(StopOutcome outcome) {
    this.stopOutcome = outcome;
    return this;
  }

  @Override
  public LaunchOutcome launch(LaunchRequest request) {
    launches.add(request);
    return onLaunch.apply(request);
  }

  /** No host outlives a call here: a launch that returned is the host (tests script the rest). */
  @Override
  public HostLookup find(String runnerName) {
    return onFind.apply(runnerName);
  }

  public RecordingLauncher onFind(Function<String, HostLookup> behaviour) {
    this.onFind = behaviour;
    return this;
  }

  @Override
  public StopOutcome stop(String runnerName, String hostId) {
    stops.add(new Stop(runnerName, hostId));
    return stopOutcome;
  }

  public List<LaunchRequest> launches() {
    return List.copyOf(launches);
  }

  public List<Stop> stops() {
    return List.copyOf(stops);
  }

  public void forget() {
    launches.clear();
    stops.clear();
  }
}
