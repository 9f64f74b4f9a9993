package dev.runfleet.emulators.dynamodb.expression;

/** Entry points: parse (cached) and bind DynamoDB expressions. */
public final class Expressions {
  private Expressions() {}

  public static Condition condition(String text, ExpressionContext ctx, String parameterName) {
    throw new UnsupportedOperationException("not yet");
  }

  public static Update update(String text, ExpressionContext ctx) {
    throw new UnsupportedOperationException("not yet");
  }

  public static Projection projection(String text, ExpressionContext ctx) {
    throw new UnsupportedOperationException("not yet");
  }

  public static KeyCondition keyCondition(
      String text, ExpressionContext ctx, String partitionKey, String sortKey) {
    throw new UnsupportedOperationException("not yet");
  }
}
