package dev.runfleet.it;

import dev.runfleet.it.support.AwsPipeline;
import dev.runfleet.it.support.EmbeddedAwsBackend;

/**
 * The AWS scenarios on the embedded DynamoDB, ElasticMQ and the local SNS endpoint: runs
 * everywhere.
 */
class EmbeddedEmulatorsPipelineTest extends AwsPipelineScenarios {

  @Override
  protected AwsPipeline.Backend startBackend() {
    return EmbeddedAwsBackend.start();
  }
}
