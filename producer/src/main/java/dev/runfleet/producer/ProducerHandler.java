package dev.runfleet.producer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.producer.di.ProducerComponent;
import dev.runfleet.producer.intake.WebhookIntake;
import dev.runfleet.producer.intake.WebhookRequest;
import dev.runfleet.producer.intake.WebhookResponse;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Lambda entry point behind API Gateway's {@code POST /webhook}: GitHub's webhook in, the intake's
 * answer out.
 */
public final class ProducerHandler
    implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

  private static final Logger LOG = LoggerFactory.getLogger(ProducerHandler.class);
  private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

  private final WebhookIntake intake;
  private final Telemetry telemetry;

  /** Lambda's constructor: configuration from the environment, wiring once per process. */
  public ProducerHandler() {
    this(ProducerConfig.from(System.getenv()));
  }

  /** A handler wired from {@code config}, as the local runtime builds one. */
  public ProducerHandler(ProducerConfig config) {
    this(component(config));
  }

  /**
   * A handler wired from {@code config} whose table calls go to {@code dynamoDb}: the narrowest
   * seam, where a benchmark stubs DynamoDB at its interface or counts the real client's calls.
   */
  public ProducerHandler(ProducerConfig config, DynamoDbClient dynamoDb) {
    this(component(config, dynamoDb));
  }

  private ProducerHandler(ProducerComponent component) {
    this(component.intake(), component.telemetry());
  }

  ProducerHandler(WebhookIntake intake, Telemetry telemetry) {
    this.intake = intake;
    this.telemetry = telemetry;
  }

  private static ProducerComponent component(ProducerConfig config) {
    LOG.info("producer starting with {}", config);
    return ProducerComponent.create(config);
  }

  private static ProducerComponent component(ProducerConfig config, DynamoDbClient dynamoDb) {
    LOG.info("producer starting with {} and a given DynamoDB client", config);
    return ProducerComponent.create(config, dynamoDb);
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
    return telemetry.invoke(context, () -> toResponse(intake.handle(toRequest(event))));
  }

  private static WebhookRequest toRequest(APIGatewayV2HTTPEvent event) {
    if (event == null) {
      return new WebhookRequest(Map.of(), "", false);
    }
    APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
    String sourceIp =
        context == null || context.getHttp() == null ? null : context.getHttp().getSourceIp();
    return new WebhookRequest(
        event.getHeaders(), event.getBody(), event.getIsBase64Encoded(), sourceIp);
  }

  private static APIGatewayV2HTTPResponse toResponse(WebhookResponse response) {
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(response.statusCode())
        .withHeaders(JSON)
        .withBody(response.body())
        .withIsBase64Encoded(false)
        .build();
  }
}
