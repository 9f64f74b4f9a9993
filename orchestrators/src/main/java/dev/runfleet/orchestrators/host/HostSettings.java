package dev.runfleet.orchestrators.host;

import java.util.List;
import java.util.Objects;

/**
 * Where and how an orchestrator starts runner hosts in AWS: one variant per host kind, read once at
 * cold start from the environment Terraform writes.
 */
public sealed interface HostSettings {

  /** The runfleet:stage tag every host carries; TerminateInstances is granted only on it. */
  String stage();

  SpotMode spotMode();

  /**
   * ECS Fargate: one task definition per platform (its CPU architecture and runner class fixed in
   * it), run in {@code cluster} with awsvpc networking.
   */
  record Ecs(
      String stage,
      SpotMode spotMode,
      String cluster,
      String taskDefinition,
      List<String> subnets,
      List<String> securityGroups,
      boolean assignPublicIp)
      implements HostSettings {
    public Ecs {
      Objects.requireNonNull(stage, "stage");
      Objects.requireNonNull(spotMode, "spotMode");
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(taskDefinition, "taskDefinition");
      subnets = List.copyOf(subnets);
      securityGroups = List.copyOf(securityGroups);
      if (subnets.isEmpty()) {
        throw new IllegalArgumentException("a Fargate platform needs at least one subnet");
      }
    }
  }

  /**
   * EC2: an instant fleet from the platform's launch template (AMI, role, IMDSv2, boot script),
   * over {@code instanceTypes} x {@code subnets}.
   */
  record Ec2(
      String stage,
      SpotMode spotMode,
      String launchTemplate,
      List<String> instanceTypes,
      List<String> subnets)
      implements HostSettings {
    public Ec2 {
      Objects.requireNonNull(stage, "stage");
      Objects.requireNonNull(spotMode, "spotMode");
      Objects.requireNonNull(launchTemplate, "launchTemplate");
      instanceTypes = List.copyOf(instanceTypes);
      subnets = List.copyOf(subnets);
      if (instanceTypes.isEmpty()) {
        throw new IllegalArgumentException("an EC2 platform needs at least one instance type");
      }
    }
  }
}
