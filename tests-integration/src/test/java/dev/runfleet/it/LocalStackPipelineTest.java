package dev.runfleet.it;

import dev.runfleet.it.support.AwsPipeline;
import dev.runfleet.it.support.LocalStackAwsBackend;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.containers.localstack.LocalStackContainer.Service;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The AWS scenarios on LocalStack's DynamoDB (with Streams), SNS and SQS: the real SNS API, its
 * subscription filter policies and raw delivery. Skipped where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackPipelineTest extends AwsPipelineScenarios {

  @Container
  private static final LocalStackContainer LOCALSTACK =
      new LocalStackContainer(DockerImageName.parse(LocalStackAwsBackend.IMAGE))
          .withServices(Service.DYNAMODB, Service.SNS, Service.SQS, Service.SSM);

  @Override
  protected AwsPipeline.Backend startBackend() {
    return new LocalStackAwsBackend(LOCALSTACK);
  }
}
