package dev.runfleet.emulators.dynamodb.conformance;

import dev.runfleet.aws.AwsSettings;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

/** LocalStack in a Testcontainers container; unavailable without Docker. */
final class LocalStackTarget extends SdkTarget {

  /** Pinned as in tests-integration: LocalStack tags after 4.14 want an auth token. */
  static final String IMAGE = "localstack/localstack:4.4";

  private final LocalStackContainer container;

  private LocalStackTarget(LocalStackContainer container) {
    super("localstack", AwsSettings.emulator(container.getEndpoint()), "conf-");
    this.container = container;
  }

  /** Why the target cannot run here, or null when it can. */
  static String unavailableReason() {
    return DOCKER.get();
  }

  private static final java.util.function.Supplier<String> DOCKER =
      new java.util.function.Supplier<>() {
        private volatile String reason;
        private volatile boolean checked;

        @Override
        public synchronized String get() {
          if (!checked) {
            reason = checkDocker();
            checked = true;
          }
          return reason;
        }
      };

  private static String checkDocker() {
    try {
      return DockerClientFactory.instance().isDockerAvailable()
          ? null
          : "no Docker: LocalStack target skipped";
    } catch (RuntimeException | LinkageError e) {
      return "no Docker (" + e + "): LocalStack target skipped";
    }
  }

  @SuppressWarnings("resource")
  static ConformanceTarget start() {
    LocalStackContainer container =
        new LocalStackContainer(DockerImageName.parse(IMAGE))
            .withServices(LocalStackContainer.Service.DYNAMODB);
    container.start();
    return new LocalStackTarget(container);
  }

  @Override
  void closeBackend() {
    container.stop();
  }
}
