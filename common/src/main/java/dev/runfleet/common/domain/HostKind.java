package dev.runfleet.common.domain;

/** The kind of compute a platform's runners live on; each has its own orchestrator. */
public enum HostKind {
  ECS_FARGATE,
  EC2
}
