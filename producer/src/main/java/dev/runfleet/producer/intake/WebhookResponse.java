package dev.runfleet.producer.intake;

/**
 * What the intake answers: an HTTP status and a small JSON body that never holds a secret or the
 * request body.
 *
 * @param statusCode HTTP status
 * @param body JSON text
 */
public record WebhookResponse(int statusCode, String body) {}
