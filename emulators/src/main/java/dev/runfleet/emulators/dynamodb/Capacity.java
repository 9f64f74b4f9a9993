package dev.runfleet.emulators.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The capacity one request consumes, by DynamoDB's documented rules, for a client that asks ({@code
 * ReturnConsumedCapacity}): a write costs one unit per started KB of the larger of the old and new
 * item, a read one per started 4 KB (half when eventually consistent), a transactional read or
 * write twice that. What the emulator does not model: index writes, throttling, limits.
 */
final class Capacity {

  private static final double WRITE_UNIT_BYTES = 1024;
  private static final double READ_UNIT_BYTES = 4096;

  private final Map<String, Double> byTable = new LinkedHashMap<>();

  /** A write of one item; {@code old} or {@code next} may be null. */
  Capacity write(String table, Map<String, Value> old, Map<String, Value> next, boolean transact) {
    long size = Math.max(size(old), size(next));
    return add(table, Math.max(1, Math.ceil(size / WRITE_UNIT_BYTES)) * (transact ? 2 : 1));
  }

  /** A read of {@code bytes} (one item, or all items a query or scan evaluated). */
  Capacity read(String table, long bytes, boolean consistent, boolean transact) {
    double units = Math.max(1, Math.ceil(bytes / READ_UNIT_BYTES));
    if (transact) {
      units *= 2;
    } else if (!consistent) {
      units /= 2;
    }
    return add(table, units);
  }

  private Capacity add(String table, double units) {
    byTable.merge(table, units, Double::sum);
    return this;
  }

  private static long size(Map<String, Value> item) {
    return item == null ? 0 : Value.itemSize(item);
  }

  /** Adds {@code ConsumedCapacity} (one object) to a single-table response when asked for. */
  void reportOne(JsonNode request, ObjectNode response) {
    String mode = mode(request);
    if (mode != null) {
      byTable.forEach(
          (table, units) -> entry(mode, table, units, response.putObject("ConsumedCapacity")));
    }
  }

  /** Adds {@code ConsumedCapacity} (a list, one per table) to a batch or transaction response. */
  void reportAll(JsonNode request, ObjectNode response) {
    String mode = mode(request);
    if (mode != null) {
      ArrayNode list = response.putArray("ConsumedCapacity");
      byTable.forEach((table, units) -> entry(mode, table, units, list.addObject()));
    }
  }

  private static String mode(JsonNode request) {
    String mode = Requests.string(request, "ReturnConsumedCapacity");
    return mode == null || mode.equals("NONE") ? null : mode;
  }

  private static void entry(String mode, String table, double units, ObjectNode out) {
    out.put("TableName", table).put("CapacityUnits", units);
    if (mode.equals("INDEXES")) {
      out.putObject("Table").put("CapacityUnits", units);
    }
  }
}
