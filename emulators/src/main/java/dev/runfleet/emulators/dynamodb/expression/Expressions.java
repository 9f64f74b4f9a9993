package dev.runfleet.emulators.dynamodb.expression;

import dev.runfleet.emulators.dynamodb.expression.Ast.Cond;
import dev.runfleet.emulators.dynamodb.expression.Ast.Path;
import dev.runfleet.emulators.dynamodb.expression.Ast.UpdateExpr;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Entry points. Parsing depends on the text alone, so parsed trees are cached by kind and text;
 * binding to the request's names and values (and marking them used) happens on every call, so a
 * cached tree never carries one request's values into another.
 */
public final class Expressions {
  private Expressions() {}

  /** Past this many distinct texts the cache starts over, so odd clients cannot grow it forever. */
  private static final int CACHE_LIMIT = 4096;

  private static final ConcurrentHashMap<String, Object> PARSED = new ConcurrentHashMap<>();

  /**
   * A condition or filter. {@code parameterName} is "ConditionExpression" or "FilterExpression" and
   * names the parameter in error messages.
   */
  public static Condition condition(String text, ExpressionContext ctx, String parameterName) {
    Cond parsed = parsed('C', text, () -> Parser.condition(text, parameterName));
    Cond bound = new Binder(ctx, parameterName).cond(parsed);
    return item -> Eval.test(bound, item);
  }

  public static Update update(String text, ExpressionContext ctx) {
    UpdateExpr parsed = parsed('U', text, () -> Parser.update(text));
    return BoundUpdate.bind(parsed, ctx);
  }

  public static Projection projection(String text, ExpressionContext ctx) {
    List<Path> parsed = parsed('P', text, () -> Parser.projection(text));
    String parameter = "ProjectionExpression";
    List<Path> bound = new Binder(ctx, parameter).paths(parsed);
    Paths.requireDisjoint(bound, parameter);
    return new ProjectionTree(bound);
  }

  /** partitionKey/sortKey are the table's or index's key attribute names (sortKey may be null). */
  public static KeyCondition keyCondition(
      String text, ExpressionContext ctx, String partitionKey, String sortKey) {
    String parameter = "KeyConditionExpression";
    Cond parsed = parsed('K', text, () -> Parser.condition(text, parameter));
    return KeyConditions.of(new Binder(ctx, parameter).cond(parsed), partitionKey, sortKey);
  }

  @SuppressWarnings("unchecked")
  private static <T> T parsed(char kind, String text, Supplier<T> parse) {
    if (text == null) {
      return parse.get(); // the parser answers with DynamoDB's empty-expression error
    }
    String key = kind + text;
    Object hit = PARSED.get(key);
    if (hit != null) {
      return (T) hit;
    }
    T fresh = parse.get(); // only successes are cached: errors name the caller's parameter
    if (PARSED.size() >= CACHE_LIMIT) {
      PARSED.clear();
    }
    PARSED.put(key, fresh);
    return fresh;
  }
}
