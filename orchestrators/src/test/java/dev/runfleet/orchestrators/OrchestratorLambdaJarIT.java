package dev.runfleet.orchestrators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runfleet.aws.lambdajar.LambdaJar;
import dev.runfleet.emulators.EmbeddedDynamoDb;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two orchestrator jars, one per host kind: each within its budget and carrying only its own
 * host's SDK client, and each handler, run in a fresh JVM the way the Lambda runtime runs it,
 * builds its whole object graph (every SDK client it calls) and answers a queue batch.
 */
class OrchestratorLambdaJarIT {

  /** Issue 13: the ECS (Fargate) orchestrator jar stays at or under 20 MB. */
  static final long ECS_BUDGET_BYTES = 20_000_000;

  /**
   * Issue 13: the EC2 jar stays at or under 35 MB (34.3 MB as built on 2026-12-05): the EC2 model
   * alone is 21 MB compressed and the client reaches all of it.
   */
  static final long EC2_BUDGET_BYTES = 35_000_000;

  private static final String EMPTY_BATCH = "{\"Records\":[]}";

  private static EmbeddedDynamoDb dynamo;

  @BeforeAll
  static void start() {
    dynamo = EmbeddedDynamoDb.start(0);
  }

  @AfterAll
  static void stop() {
    dynamo.close();
  }

  @Test
  void ecsJar_isWithinItsBudget_andCarriesNoEc2OrSsmClient() throws Exception {
    LambdaJar.built("runfleet-orchestrator-ecs-lambda")
        .assertWithin(
            ECS_BUDGET_BYTES,
            List.of("software/amazon/awssdk/services/ecs/"),
            List.of(
                "software/amazon/awssdk/services/ec2/",
                "software/amazon/awssdk/services/ssm/",
                "dev/runfleet/orchestrators/Ec2"));
  }

  @Test
  void ec2Jar_isWithinItsBudget_andCarriesNoEcsOrSsmClient() throws Exception {
    LambdaJar.built("runfleet-orchestrator-ec2-lambda")
        .assertWithin(
            EC2_BUDGET_BYTES,
            List.of("software/amazon/awssdk/services/ec2/"),
            List.of(
                "software/amazon/awssdk/services/ecs/",
                "software/amazon/awssdk/services/ssm/",
                "dev/runfleet/orchestrators/Fargate"));
  }

  @Test
  void fargateHandler_inAFreshJvm_buildsAndAnswersABatch() throws Exception {
    LambdaJar.Run run =
        LambdaJar.built("runfleet-orchestrator-ecs-lambda")
            .run(
                FargateOrchestratorHandler.class.getName(),
                EMPTY_BATCH,
                environment(
                    "fargate",
                    Map.of(
                        AwsHostConfig.ENV_ECS_CLUSTER,
                        "arn:aws:ecs:us-east-1:123456789012:cluster/c",
                        AwsHostConfig.ENV_ECS_TASK_DEFINITION,
                        "runfleet-test-fargate",
                        AwsHostConfig.ENV_ECS_SECURITY_GROUPS,
                        "sg-1")));

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.answer()).as(run.output()).contains("batchItemFailures");
  }

  @Test
  void ec2Handlers_inAFreshJvm_buildAndAnswerABatch() throws Exception {
    Map<String, String> hostKeys =
        Map.of(
            AwsHostConfig.ENV_EC2_LAUNCH_TEMPLATE, "lt-0abc",
            AwsHostConfig.ENV_EC2_INSTANCE_TYPES, "m7i.large");
    for (var handler :
        Map.of(
                Ec2LinuxX64OrchestratorHandler.class, "ec2-linux-x64",
                Ec2LinuxArm64OrchestratorHandler.class, "ec2-linux-arm64")
            .entrySet()) {
      LambdaJar.Run run =
          LambdaJar.built("runfleet-orchestrator-ec2-lambda")
              .run(
                  handler.getKey().getName(),
                  EMPTY_BATCH,
                  environment(handler.getValue(), hostKeys));

      assertThat(run.exitCode()).as(run.output()).isZero();
      assertThat(run.answer()).as(run.output()).contains("batchItemFailures");
    }
  }

  private static Map<String, String> environment(String platform, Map<String, String> hostKeys) {
    Map<String, String> env =
        new HashMap<>(OrchestratorConfigTest.awsEnvironment(platform, hostKeys));
    env.put("AWS_REGION", "us-east-1");
    env.put("RUNFLEET_AWS_ENDPOINT", dynamo.endpoint().toString());
    return env;
  }
}
