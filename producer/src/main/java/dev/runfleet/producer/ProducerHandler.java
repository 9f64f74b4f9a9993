package dev.runfleet.producer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.runfleet.aws.Telemetry;
import dev.runfleet.aws.lambda.SnapStartPrimed;
import dev.runfleet.aws.lambda.SnapStartPriming;
import dev.runfleet.producer.di.ProducerComponent;
import dev.runfleet.producer.intake.WebhookIntake;
import dev.runfleet.producer.intake.WebhookRequest;
import dev.runfleet.producer.intake.WebhookResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Lambda entry point behind API Gateway's {@code POST /webhook}: GitHub's webhook in, the intake's
 * answer out. Lambda calls the stream method with the event's bytes, which {@link HttpApiJson}
 * reads; the local runtime and tests call {@link #handle} with the event as an object.
 */
public final class ProducerHandler implements RequestStreamHandler, SnapStartPrimed {

  private static final Logger LOG = LoggerFactory.getLogger(ProducerHandler.class);
  private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

  private final WebhookIntake intake;
  private final Telemetry telemetry;
  private final HttpApiJson httpApi;
  private final ProducerPriming priming;
  private final SnapStartPriming snapStart;

  /**
   * Lambda's constructor: configuration from the environment, wiring once per process, and the
   * SnapStart priming registered (a no-op where the JVM takes no snapshot).
   */
  public ProducerHandler() {
    this(ProducerConfig.from(System.getenv()));
    snapStart.register();
  }

  /** A handler wired from {@code config}, as the local runtime builds one. */
  public ProducerHandler(ProducerConfig config) {
    this(component(config), config);
  }

  /**
   * A handler wired from {@code config} whose table calls go to {@code dynamoDb}: the narrowest
   * seam, where a benchmark stubs DynamoDB at its interface or counts the real client's calls.
   */
  public ProducerHandler(ProducerConfig config, DynamoDbClient dynamoDb) {
    this(component(config, dynamoDb), config);
  }

  private ProducerHandler(ProducerComponent component, ProducerConfig config) {
    this(
        component.intake(),
        component.telemetry(),
        new ProducerPriming(component.dynamoDb(), component.eventStore(), config.table()));
  }

  ProducerHandler(WebhookIntake intake, Telemetry telemetry) {
    this(intake, telemetry, null);
  }

  private ProducerHandler(WebhookIntake intake, Telemetry telemetry, ProducerPriming priming) {
    this.intake = intake;
    this.telemetry = telemetry;
    this.httpApi = new HttpApiJson();
    this.priming = priming;
    this.snapStart = priming == null ? null : priming.resource();
  }

  /** The webhook path's priming; null for a handler given its collaborators. */
  ProducerPriming priming() {
    return priming;
  }

  /** What SnapStart runs before its snapshot; null for a handler given its collaborators. */
  @Override
  public SnapStartPriming snapStartPriming() {
    return snapStart;
  }

  private static ProducerComponent component(ProducerConfig config) {
    LOG.info("producer starting with {}", config);
    return ProducerComponent.create(config);
  }

  private static ProducerComponent component(ProducerConfig config, DynamoDbClient dynamoDb) {
    LOG.info("producer starting with {} and a given DynamoDB client", config);
    return ProducerComponent.create(config, dynamoDb);
  }

  /**
   * Lambda's entry: API Gateway's event as bytes in, the HTTP response as JSON out. Bytes that are
   * not JSON get the answer of a request without headers or body (a 4xx), with a log line.
   */
  @Override
  public void handleRequest(InputStream event, OutputStream response, Context context)
      throws IOException {
    WebhookResponse answer = telemetry.invoke(context, () -> intake.handle(read(event)));
    httpApi.write(answer, response);
  }

  private WebhookRequest read(InputStream event) {
    try {
      return httpApi.read(event);
    } catch (IOException e) {
      LOG.warn(
          "the API Gateway event is not JSON ({}); answered as an empty request", e.toString());
      return new WebhookRequest(Map.of(), "", false);
    }
  }

  /** The same answer for API Gateway's event as an object: the local runtime's and tests' entry. */
  public APIGatewayV2HTTPResponse handle(APIGatewayV2HTTPEvent event, Context context) {
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
