package dev.runfleet.emulators.dynamodb;

import static dev.runfleet.emulators.dynamodb.JsonCodec.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runfleet.emulators.dynamodb.expression.Condition;
import dev.runfleet.emulators.dynamodb.expression.ExpressionContext;
import dev.runfleet.emulators.dynamodb.expression.Expressions;
import dev.runfleet.emulators.dynamodb.expression.KeyCondition;
import dev.runfleet.emulators.dynamodb.expression.Projection;
import dev.runfleet.emulators.dynamodb.expression.SortCondition;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.function.Predicate;

/** Query and Scan: key ranges, paging, filters and projections. */
final class ReadOperations {

  /** DynamoDB stops a page once it has read this much. */
  static final long PAGE_BYTES = 1024 * 1024;

  private static final Set<String> SELECTS =
      Set.of("ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT");

  private final DynamoDbEngine engine;

  ReadOperations(DynamoDbEngine engine) {
    this.engine = engine;
  }

  /** What one Query or Scan reads and returns, resolved against the table under the lock. */
  private record Read(
      Table table,
      Index index,
      Condition filter,
      Projection projection,
      String select,
      Integer limit,
      Map<String, Value> startKey) {}

  ObjectNode query(JsonNode request) {
    Requests.refuseLegacy(request, Requests.LEGACY);
    String keyText = Requests.string(request, "KeyConditionExpression");
    if (keyText == null) {
      throw DynamoDbError.validation(
          "Either the KeyConditions or KeyConditionExpression parameter must be specified in the"
              + " request.");
    }
    boolean forward = Requests.bool(request, "ScanIndexForward", true);
    return engine.read(
        () -> {
          ExpressionContext ctx = Requests.context(request, true);
          Table table = engine.table(Requests.required(request, "TableName"));
          Index index = index(table, request);
          KeySchema schema = index == null ? table.key : index.key;
          KeyCondition key = Expressions.keyCondition(keyText, ctx, schema.hash(), schema.range());
          Read read = read(request, ctx, table, index);
          if (!key.partitionValue().type().equals(schema.hashType())
              || (key.sort() != null && !key.sort().first().type().equals(schema.rangeType()))) {
            throw DynamoDbError.validation(
                "One or more parameter values were invalid: Condition parameter type does not match"
                    + " schema type");
          }
          ItemStore store = index == null ? table.items : index.store;
          NavigableMap<IndexKey, Map<String, Value>> range =
              sortRange(store.partition(key.partitionValue()), key.sort());
          if (read.startKey() != null) {
            IndexKey start = position(table, index, read.startKey());
            range = forward ? range.tailMap(start, false) : range.headMap(start, false);
          }
          Iterator<Map<String, Value>> items =
              (forward ? range : range.descendingMap()).values().iterator();
          return page(request, read, items);
        });
  }

  /** The part of a partition a sort key condition selects. */
  private static NavigableMap<IndexKey, Map<String, Value>> sortRange(
      NavigableMap<IndexKey, Map<String, Value>> partition, SortCondition sort) {
    if (sort == null) {
      return partition;
    }
    Value v = sort.first();
    return switch (sort.op()) {
      case EQ -> partition.subMap(IndexKey.lowest(v), true, IndexKey.highest(v), true);
      case LT -> partition.headMap(IndexKey.lowest(v), false);
      case LE -> partition.headMap(IndexKey.highest(v), true);
      case GT -> partition.tailMap(IndexKey.highest(v), false);
      case GE -> partition.tailMap(IndexKey.lowest(v), true);
      case BETWEEN -> {
        if (Value.compareKeys(v, sort.second()) > 0) {
          throw DynamoDbError.validation(
              "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be"
                  + " greater than or equal to lower bound");
        }
        yield partition.subMap(IndexKey.lowest(v), true, IndexKey.highest(sort.second()), true);
      }
      case BEGINS_WITH -> {
        // Matches are contiguous from the prefix on: find where they end.
        NavigableMap<IndexKey, Map<String, Value>> tail =
            partition.tailMap(IndexKey.lowest(v), true);
        IndexKey end = null;
        for (IndexKey k : tail.keySet()) {
          if (!sort.test(k.first())) {
            end = k;
            break;
          }
        }
        yield end == null ? tail : tail.headMap(end, false);
      }
    };
  }

  ObjectNode scan(JsonNode request) {
    Requests.refuseLegacy(request, Requests.LEGACY);
    Integer segment = Requests.integer(request, "Segment", 0, 999_999);
    Integer total = Requests.integer(request, "TotalSegments", 1, 1_000_000);
    if (segment != null && total == null) {
      throw DynamoDbError.validation(
          "The TotalSegments parameter is required but was not present in the request when Segment"
              + " parameter is present");
    }
    if (total != null && segment == null) {
      throw DynamoDbError.validation(
          "The Segment parameter is required but was not present in the request when parameter"
              + " TotalSegments is present");
    }
    if (segment != null && segment >= total) {
      throw DynamoDbError.validation(
          "The Segment parameter is zero-based and must be less than parameter TotalSegments:"
              + " Segment: "
              + segment
              + " is out of bounds for TotalSegments: "
              + total);
    }
    boolean usesExpressions =
        Requests.present(request, "FilterExpression")
            || Requests.present(request, "ProjectionExpression");
    return engine.read(
        () -> {
          ExpressionContext ctx = Requests.context(request, usesExpressions);
          Table table = engine.table(Requests.required(request, "TableName"));
          Index index = index(table, request);
          Read read = read(request, ctx, table, index);
          ItemStore store = index == null ? table.items : index.store;
          String hash = index == null ? table.key.hash() : index.key.hash();
          Value startPartition = read.startKey() == null ? null : read.startKey().get(hash);
          IndexKey startPosition =
              read.startKey() == null ? null : position(table, index, read.startKey());
          Predicate<Value> inSegment =
              total == null ? p -> true : p -> Math.floorMod(p.hashCode(), total) == segment;
          Iterator<Map<String, Value>> items =
              store.partitionsFrom(startPartition).entrySet().stream()
                  .filter(e -> inSegment.test(e.getKey()))
                  .flatMap(
                      e ->
                          (startPartition != null && e.getKey().equals(startPartition)
                                  ? e.getValue().tailMap(startPosition, false)
                                  : e.getValue())
                              .values().stream())
                  .iterator();
          return page(request, read, items);
        });
  }

  private static Index index(Table table, JsonNode request) {
    String name = Requests.string(request, "IndexName");
    if (name == null) {
      return null;
    }
    Index index = table.index(name);
    if (index == null) {
      throw DynamoDbError.validation("The table does not have the specified index: " + name);
    }
    if (index.global && Requests.bool(request, "ConsistentRead", false)) {
      throw DynamoDbError.validation(
          "Consistent reads are not supported on global secondary indexes");
    }
    return index;
  }

  private static Read read(JsonNode request, ExpressionContext ctx, Table table, Index index) {
    String filterText = Requests.string(request, "FilterExpression");
    String projectionText = Requests.string(request, "ProjectionExpression");
    Condition filter =
        filterText == null ? null : Expressions.condition(filterText, ctx, "FilterExpression");
    Projection projection =
        projectionText == null ? null : Expressions.projection(projectionText, ctx);
    ctx.requireAllUsed();
    String select = Requests.string(request, "Select");
    if (select != null && !SELECTS.contains(select)) {
      throw Requests.constraint(
          "Select",
          select,
          "Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES,"
              + " ALL_PROJECTED_ATTRIBUTES]");
    }
    if (select == null) {
      select =
          projection != null
              ? "SPECIFIC_ATTRIBUTES"
              : index == null ? "ALL_ATTRIBUTES" : "ALL_PROJECTED_ATTRIBUTES";
    }
    if (projection != null && !select.equals("SPECIFIC_ATTRIBUTES")) {
      throw DynamoDbError.validation(
          "Cannot specify the ProjectionExpression when choosing to get " + select);
    }
    if (select.equals("ALL_PROJECTED_ATTRIBUTES") && index == null) {
      throw DynamoDbError.validation(
          "One or more parameter values were invalid: Select type ALL_PROJECTED_ATTRIBUTES is not"
              + " supported when not querying an index");
    }
    if (select.equals("ALL_ATTRIBUTES")
        && index != null
        && index.global
        && !index.projectionType.equals("ALL")) {
      throw DynamoDbError.validation(
          "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported"
              + " for global secondary index "
              + index.name
              + " because its projection type is not ALL");
    }
    Integer limit = Requests.integer(request, "Limit", 1, Integer.MAX_VALUE);
    Map<String, Value> start = JsonCodec.item(request.get("ExclusiveStartKey"));
    if (start != null) {
      checkStartKey(table, index, start);
    }
    return new Read(table, index, filter, projection, select, limit, start);
  }

  private static void checkStartKey(Table table, Index index, Map<String, Value> start) {
    boolean ok = table.key.covers(start) && (index == null || index.key.covers(start));
    int expected = keyNames(table, index).size();
    if (!ok || start.size() != expected) {
      throw DynamoDbError.validation(
          "The provided starting key is invalid: The provided key element does not match the"
              + " schema");
    }
  }

  private static Set<String> keyNames(Table table, Index index) {
    Set<String> names = new java.util.LinkedHashSet<>();
    names.add(table.key.hash());
    if (table.key.hasRange()) {
      names.add(table.key.range());
    }
    if (index != null) {
      names.add(index.key.hash());
      if (index.key.hasRange()) {
        names.add(index.key.range());
      }
    }
    return names;
  }

  private static IndexKey position(Table table, Index index, Map<String, Value> key) {
    return index == null ? table.position(key) : index.position(table.key, key);
  }

  /**
   * Reads items until the limit (items evaluated, before the filter) or the 1 MB page size is
   * reached; LastEvaluatedKey names the last item read when the page stopped early.
   */
  private static ObjectNode page(JsonNode request, Read read, Iterator<Map<String, Value>> items) {
    ObjectNode response = NODES.objectNode();
    boolean countOnly = read.select().equals("COUNT");
    ArrayNode out = countOnly ? null : response.putArray("Items");
    Index index = read.index();
    Table table = read.table();
    int scanned = 0;
    int count = 0;
    long bytes = 0;
    Map<String, Value> last = null;
    boolean stopped = false;
    while (items.hasNext()) {
      Map<String, Value> item = items.next();
      // A GSI holds only its projection; a local index reads the table's item when asked to.
      Map<String, Value> visible =
          index == null || (!index.global && read.select().equals("ALL_ATTRIBUTES"))
              ? item
              : index.project(table.key, item);
      scanned++;
      bytes += Value.itemSize(visible);
      last = item;
      if (read.filter() == null || read.filter().test(visible)) {
        count++;
        if (!countOnly) {
          out.add(
              JsonCodec.encode(
                  read.projection() == null ? visible : read.projection().apply(visible)));
        }
      }
      if ((read.limit() != null && scanned >= read.limit())
          || (bytes >= PAGE_BYTES && items.hasNext())) {
        stopped = true;
        break;
      }
    }
    response.put("Count", count);
    response.put("ScannedCount", scanned);
    if (stopped) {
      Map<String, Value> lastKey = new LinkedHashMap<>();
      for (String name : keyNames(table, index)) {
        lastKey.put(name, last.get(name));
      }
      response.set("LastEvaluatedKey", JsonCodec.encode(lastKey));
    }
    // A query or scan costs by the bytes it evaluated, filter or not; indexes read eventually.
    new Capacity()
        .read(table.name, bytes, index == null && ItemOperations.consistent(request), false)
        .reportOne(request, response);
    return response;
  }
}
