package dev.runfleet.local.cli;

import dev.runfleet.aws.AwsClients;
import dev.runfleet.aws.AwsSettings;
import dev.runfleet.common.config.RuntimeParameters;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.GetParametersByPathRequest;
import software.amazon.awssdk.services.ssm.model.Parameter;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;
import software.amazon.awssdk.services.ssm.model.PutParameterRequest;

/**
 * The operator's side of the runtime parameters: reads and writes them with the SSM API, against
 * AWS (default credentials and region) or, with an endpoint, against a running {@code runfleet
 * local}.
 */
final class FleetParameters implements AutoCloseable {

  private final SsmClient ssm;
  private final String stage;

  FleetParameters(String stage, Optional<URI> endpoint, String region) {
    this.ssm = ssmClient(endpoint, region);
    this.stage = stage;
  }

  /** An SSM client for AWS (default credentials, {@code region}) or a running local runtime. */
  static SsmClient ssmClient(Optional<URI> endpoint, String region) {
    return clients(endpoint, region).configure(SsmClient.builder(), SsmClient.SERVICE_NAME).build();
  }

  /** Client settings for AWS (default credentials, {@code region}) or a running local runtime. */
  static AwsClients clients(Optional<URI> endpoint, String region) {
    return new AwsClients(
        endpoint
            .map(AwsSettings::emulator)
            .orElse(
                new AwsSettings(
                    region,
                    Optional.empty(),
                    Map.of(),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(5))));
  }

  /** Every runtime parameter of the stage, by name. */
  Map<String, String> all() {
    Map<String, String> out = new TreeMap<>();
    String prefix = RuntimeParameters.prefix(stage);
    for (var page :
        ssm.getParametersByPathPaginator(
            GetParametersByPathRequest.builder().path(prefix).recursive(true).build())) {
      for (Parameter p : page.parameters()) {
        out.put(p.name(), p.value());
      }
    }
    return out;
  }

  /** The parameter's value, or empty when it does not exist. */
  Optional<String> get(String name) {
    try {
      return Optional.of(ssm.getParameter(b -> b.name(name)).parameter().value());
    } catch (ParameterNotFoundException e) {
      return Optional.empty();
    }
  }

  /** Deletes the parameter; false when there was none. */
  boolean delete(String name) {
    try {
      ssm.deleteParameter(b -> b.name(name));
      return true;
    } catch (ParameterNotFoundException e) {
      return false;
    }
  }

  void put(String name, String value) {
    ssm.putParameter(
        PutParameterRequest.builder()
            .name(name)
            .value(value)
            .type(ParameterType.STRING)
            .overwrite(true)
            .build());
  }

  /** The names the stage has a caps parameter for: its platforms, and {@code global} if created. */
  SortedSet<String> capNames() {
    String caps = RuntimeParameters.cap(stage, "");
    return all().keySet().stream()
        .filter(name -> name.startsWith(caps))
        .map(name -> name.substring(caps.length()))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  void print(PrintWriter out) {
    Map<String, String> values = all();
    if (values.isEmpty()) {
      out.println(
          "no runtime parameters under "
              + RuntimeParameters.prefix(stage)
              + ": every default is in force");
    }
    values.forEach((name, value) -> out.printf("%-40s %s%n", name, value));
  }

  String stage() {
    return stage;
  }

  @Override
  public void close() {
    ssm.close();
  }
}
