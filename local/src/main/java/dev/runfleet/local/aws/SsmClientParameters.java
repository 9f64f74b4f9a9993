package dev.runfleet.local.aws;

import dev.runfleet.aws.ParameterStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * {@link ParameterStore} over the SSM SDK client, for the CLI, which carries that client anyway
 * (the Lambda functions use {@link dev.runfleet.aws.SsmParameters} and no SSM SDK): so the CLI
 * reads the runtime parameters through the publisher's own code.
 */
public final class SsmClientParameters implements ParameterStore {

  private final SsmClient ssm;

  public SsmClientParameters(SsmClient ssm) {
    this.ssm = ssm;
  }

  @Override
  public Optional<String> get(String name, boolean decrypt) {
    try {
      return Optional.of(
          ssm.getParameter(b -> b.name(name).withDecryption(decrypt)).parameter().value());
    } catch (ParameterNotFoundException notFound) {
      return Optional.empty();
    }
  }

  @Override
  public Map<String, String> getByPath(String path) {
    Map<String, String> out = new HashMap<>();
    for (var page :
        ssm.getParametersByPathPaginator(b -> b.path(path).recursive(true).withDecryption(true))) {
      page.parameters().forEach(p -> out.put(p.name(), p.value()));
    }
    return out;
  }

  @Override
  public void putString(String name, String value) {
    ssm.putParameter(b -> b.name(name).value(value).type(ParameterType.STRING).overwrite(true));
  }
}
