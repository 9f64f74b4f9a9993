package dev.runfleet.emulators.dynamodb;

import static dev.runfleet.emulators.dynamodb.JsonCodec.NODES;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** CreateTable, DescribeTable, DeleteTable, ListTables, UpdateTable and the TTL settings. */
final class TableOperations {

  private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]+");
  private static final String INVALID = "One or more parameter values were invalid: ";
  private static final Set<String> VIEW_TYPES =
      Set.of("KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES");

  private final DynamoDbEngine engine;

  TableOperations(DynamoDbEngine engine) {
    this.engine = engine;
  }

  ObjectNode createTable(JsonNode request) {
    String name = tableName(request);
    Map<String, String> types = new LinkedHashMap<>();
    for (JsonNode d : Requests.requiredNode(request, "AttributeDefinitions")) {
      String type = Requests.required(d, "AttributeType");
      if (!Set.of("S", "N", "B").contains(type)) {
        throw Requests.constraint(
            "AttributeType", type, "Member must satisfy enum value set: [B, N, S]");
      }
      types.put(Requests.required(d, "AttributeName"), type);
    }
    Set<String> used = new LinkedHashSet<>();
    KeySchema key = keySchema(Requests.requiredNode(request, "KeySchema"), types, used);
    String billing = billingMode(request);
    String table = name;
    Table created =
        new Table(
            name,
            engine.arn("table/" + name),
            UUID.randomUUID().toString(),
            engine.now(),
            key,
            types);
    created.billingMode = billing;
    if ("PROVISIONED".equals(billing)) {
      created.readCapacity =
          request.path("ProvisionedThroughput").path("ReadCapacityUnits").asLong();
      created.writeCapacity =
          request.path("ProvisionedThroughput").path("WriteCapacityUnits").asLong();
    }
    Set<String> indexNames = new LinkedHashSet<>();
    for (JsonNode gsi : request.path("GlobalSecondaryIndexes")) {
      created.indexes.add(index(gsi, true, key, types, used, indexNames));
    }
    for (JsonNode lsi : request.path("LocalSecondaryIndexes")) {
      Index index = index(lsi, false, key, types, used, indexNames);
      if (!key.hasRange()) {
        throw DynamoDbError.validation(
            INVALID
                + "Table KeySchema does not have a range key, which is required when specifying a"
                + " LocalSecondaryIndex");
      }
      if (!index.key.hash().equals(key.hash())) {
        throw DynamoDbError.validation(
            INVALID
                + "Index KeySchema does not have the same leading hash key as table KeySchema"
                + " for index: "
                + index.name
                + ". index hash key: "
                + index.key.hash()
                + ", table hash key: "
                + key.hash());
      }
      created.indexes.add(index);
    }
    if (used.size() != types.size()) {
      throw DynamoDbError.validation(
          INVALID
              + "Number of attributes in KeySchema does not exactly match number of attributes"
              + " defined in AttributeDefinitions");
    }
    String viewType = streamViewType(request.get("StreamSpecification"));
    return engine.write(
        () -> {
          if (engine.tableOrNull(table) != null) {
            throw DynamoDbError.resourceInUse("Table already exists: " + table);
          }
          engine.tables().put(table, created);
          if (viewType != null) {
            engine.openStream(created, viewType);
          }
          ObjectNode response = NODES.objectNode();
          response.set("TableDescription", describe(created));
          return response;
        });
  }

  private static String tableName(JsonNode request) {
    String name = Requests.required(request, "TableName");
    if (name.length() < 3 || name.length() > 255 || !TABLE_NAME.matcher(name).matches()) {
      throw Requests.constraint(
          "TableName",
          name,
          name.length() < 3
              ? "Member must have length greater than or equal to 3"
              : name.length() > 255
                  ? "Member must have length less than or equal to 255"
                  : "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    }
    return name;
  }

  private static String billingMode(JsonNode request) {
    String billing = Requests.string(request, "BillingMode");
    boolean throughput = Requests.present(request, "ProvisionedThroughput");
    if (billing == null || billing.equals("PROVISIONED")) {
      if (!throughput) {
        throw DynamoDbError.validation(
            INVALID
                + "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode"
                + " is PROVISIONED");
      }
      return "PROVISIONED";
    }
    if (!billing.equals("PAY_PER_REQUEST")) {
      throw Requests.constraint(
          "BillingMode",
          billing,
          "Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]");
    }
    if (throughput) {
      throw DynamoDbError.validation(
          INVALID
              + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode"
              + " is PAY_PER_REQUEST");
    }
    return billing;
  }

  /** The stream view type a StreamSpecification enables, or null when it enables none. */
  private static String streamViewType(JsonNode spec) {
    if (spec == null || spec.isNull()) {
      return null;
    }
    boolean enabled = Requests.bool(spec, "StreamEnabled", false);
    String viewType = Requests.string(spec, "StreamViewType");
    if (!enabled) {
      if (viewType != null) {
        throw DynamoDbError.validation(
            "One or more parameter values were invalid: StreamSpecification: StreamViewType can"
                + " only be specified when StreamEnabled is true");
      }
      return null;
    }
    if (viewType == null || !VIEW_TYPES.contains(viewType)) {
      throw DynamoDbError.validation(
          INVALID + "StreamViewType is required and must be one of " + VIEW_TYPES);
    }
    return viewType;
  }

  private static KeySchema keySchema(
      JsonNode elements, Map<String, String> types, Set<String> used) {
    if (!elements.isArray() || elements.size() < 1 || elements.size() > 2) {
      throw Requests.constraint(
          "KeySchema",
          elements,
          elements.size() < 1
              ? "Member must have length greater than or equal to 1"
              : "Member must have length less than or equal to 2");
    }
    String hash = Requests.required(elements.get(0), "AttributeName");
    if (!"HASH".equals(Requests.string(elements.get(0), "KeyType"))) {
      throw DynamoDbError.validation(
          "Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    }
    String range = null;
    if (elements.size() == 2) {
      range = Requests.required(elements.get(1), "AttributeName");
      if (!"RANGE".equals(Requests.string(elements.get(1), "KeyType"))) {
        throw DynamoDbError.validation(
            "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
      }
      if (range.equals(hash)) {
        throw DynamoDbError.validation(
            "Both the Hash Key and the Range Key element in the KeySchema have the same name");
      }
    }
    List<String> missing = new ArrayList<>();
    for (String a : range == null ? List.of(hash) : List.of(hash, range)) {
      if (!types.containsKey(a)) {
        missing.add(a);
      }
      used.add(a);
    }
    if (!missing.isEmpty()) {
      throw DynamoDbError.validation(
          INVALID
              + "Some index key attributes are not defined in AttributeDefinitions. Keys: "
              + missing
              + ", AttributeDefinitions: "
              + types.keySet());
    }
    return new KeySchema(hash, types.get(hash), range, range == null ? null : types.get(range));
  }

  private static Index index(
      JsonNode spec,
      boolean global,
      KeySchema table,
      Map<String, String> types,
      Set<String> used,
      Set<String> names) {
    String name = Requests.required(spec, "IndexName");
    if (!names.add(name)) {
      throw DynamoDbError.validation(INVALID + "Duplicate index name: " + name);
    }
    KeySchema key = keySchema(Requests.requiredNode(spec, "KeySchema"), types, used);
    JsonNode projection = Requests.requiredNode(spec, "Projection");
    String type = Requests.string(projection, "ProjectionType");
    type = type == null ? "INCLUDE" : type;
    List<String> nonKey = new ArrayList<>();
    for (JsonNode a : projection.path("NonKeyAttributes")) {
      nonKey.add(a.asText());
    }
    if (!type.equals("INCLUDE") && !nonKey.isEmpty()) {
      throw DynamoDbError.validation(
          INVALID + "ProjectionType is " + type + ", but NonKeyAttributes is specified");
    }
    if (!Set.of("ALL", "KEYS_ONLY", "INCLUDE").contains(type)) {
      throw Requests.constraint(
          "ProjectionType", type, "Member must satisfy enum value set: [ALL, INCLUDE, KEYS_ONLY]");
    }
    return new Index(name, global, key, type, nonKey);
  }

  ObjectNode describeTable(JsonNode request) {
    String name = Requests.required(request, "TableName");
    return engine.read(
        () -> {
          ObjectNode response = NODES.objectNode();
          response.set("Table", describe(tableForAdmin(name)));
          return response;
        });
  }

  private Table tableForAdmin(String name) {
    Table table = engine.tableOrNull(name);
    if (table == null) {
      throw DynamoDbError.resourceNotFound(
          "Requested resource not found: Table: " + name + " not found");
    }
    return table;
  }

  ObjectNode deleteTable(JsonNode request) {
    String name = Requests.required(request, "TableName");
    return engine.write(
        () -> {
          Table table = tableForAdmin(name);
          ObjectNode description = describe(table);
          description.put("TableStatus", "DELETING");
          engine.tables().remove(name);
          if (table.streamEnabled()) {
            table.stream.disable(engine.lastSequence());
          }
          ObjectNode response = NODES.objectNode();
          response.set("TableDescription", description);
          return response;
        });
  }

  ObjectNode listTables(JsonNode request) {
    String start = Requests.string(request, "ExclusiveStartTableName");
    Integer limit = Requests.integer(request, "Limit", 1, 100);
    int max = limit == null ? 100 : limit;
    return engine.read(
        () -> {
          ObjectNode response = NODES.objectNode();
          ArrayNode names = response.putArray("TableNames");
          var candidates =
              start == null
                  ? engine.tables().keySet()
                  : engine.tables().tailMap(start, false).keySet();
          String last = null;
          for (String name : candidates) {
            if (names.size() == max) {
              response.put("LastEvaluatedTableName", last);
              break;
            }
            names.add(name);
            last = name;
          }
          return response;
        });
  }

  ObjectNode updateTable(JsonNode request) {
    String name = Requests.required(request, "TableName");
    JsonNode spec = request.get("StreamSpecification");
    boolean changesStream = spec != null && !spec.isNull();
    String viewType = changesStream ? streamViewType(spec) : null;
    String billing = Requests.string(request, "BillingMode");
    if (Requests.present(request, "GlobalSecondaryIndexUpdates")) {
      throw DynamoDbError.validation(
          "GlobalSecondaryIndexUpdates is not supported by the runfleet emulator");
    }
    return engine.write(
        () -> {
          Table table = tableForAdmin(name);
          if (changesStream) {
            if (viewType != null) {
              if (table.streamEnabled()) {
                throw DynamoDbError.validation(
                    "Table already has an enabled stream: TableName: " + name);
              }
              engine.openStream(table, viewType);
            } else {
              if (!table.streamEnabled()) {
                throw DynamoDbError.validation(
                    "Table " + name + " does not have a stream to disable");
              }
              table.stream.disable(engine.lastSequence());
            }
          }
          if (billing != null) {
            table.billingMode = billing;
          }
          JsonNode throughput = request.get("ProvisionedThroughput");
          if (throughput != null && !throughput.isNull()) {
            table.readCapacity = throughput.path("ReadCapacityUnits").asLong();
            table.writeCapacity = throughput.path("WriteCapacityUnits").asLong();
          }
          ObjectNode response = NODES.objectNode();
          response.set("TableDescription", describe(table));
          return response;
        });
  }

  ObjectNode updateTimeToLive(JsonNode request) {
    String name = Requests.required(request, "TableName");
    JsonNode spec = Requests.requiredNode(request, "TimeToLiveSpecification");
    String attribute = Requests.required(spec, "AttributeName");
    boolean enabled = Requests.requiredNode(spec, "Enabled").asBoolean();
    return engine.write(
        () -> {
          Table table = tableForAdmin(name);
          if (enabled && table.ttlAttribute != null) {
            throw DynamoDbError.validation("TimeToLive is already enabled");
          }
          if (!enabled && table.ttlAttribute == null) {
            throw DynamoDbError.validation("TimeToLive is already disabled");
          }
          table.ttlAttribute = enabled ? attribute : null;
          ObjectNode response = NODES.objectNode();
          ObjectNode out = response.putObject("TimeToLiveSpecification");
          out.put("Enabled", enabled);
          out.put("AttributeName", attribute);
          return response;
        });
  }

  ObjectNode describeTimeToLive(JsonNode request) {
    String name = Requests.required(request, "TableName");
    return engine.read(
        () -> {
          Table table = tableForAdmin(name);
          ObjectNode response = NODES.objectNode();
          ObjectNode out = response.putObject("TimeToLiveDescription");
          out.put("TimeToLiveStatus", table.ttlAttribute == null ? "DISABLED" : "ENABLED");
          if (table.ttlAttribute != null) {
            out.put("AttributeName", table.ttlAttribute);
          }
          return response;
        });
  }

  /** The TableDescription DescribeTable answers with. */
  ObjectNode describe(Table table) {
    ObjectNode d = NODES.objectNode();
    ArrayNode definitions = d.putArray("AttributeDefinitions");
    table.attributeTypes.forEach(
        (name, type) ->
            definitions.addObject().put("AttributeName", name).put("AttributeType", type));
    d.put("TableName", table.name);
    d.set("KeySchema", keySchema(table.key));
    d.put("TableStatus", "ACTIVE");
    d.put("CreationDateTime", JsonCodec.epochSeconds(table.created));
    d.set("ProvisionedThroughput", throughput(table));
    d.put("TableSizeBytes", table.items.bytes());
    d.put("ItemCount", table.items.count());
    d.put("TableArn", table.arn);
    d.put("TableId", table.id);
    if ("PAY_PER_REQUEST".equals(table.billingMode)) {
      d.putObject("BillingModeSummary")
          .put("BillingMode", "PAY_PER_REQUEST")
          .put("LastUpdateToPayPerRequestDateTime", JsonCodec.epochSeconds(table.created));
    }
    ArrayNode globals = NODES.arrayNode();
    ArrayNode locals = NODES.arrayNode();
    for (Index index : table.indexes) {
      ObjectNode i = (index.global ? globals : locals).addObject();
      i.put("IndexName", index.name);
      i.set("KeySchema", keySchema(index.key));
      ObjectNode projection = i.putObject("Projection").put("ProjectionType", index.projectionType);
      if (!index.nonKeyAttributes.isEmpty()) {
        ArrayNode nonKey = projection.putArray("NonKeyAttributes");
        index.nonKeyAttributes.forEach(nonKey::add);
      }
      if (index.global) {
        i.put("IndexStatus", "ACTIVE");
        i.set("ProvisionedThroughput", throughput(table));
      }
      i.put("IndexSizeBytes", index.store.bytes());
      i.put("ItemCount", index.store.count());
      i.put("IndexArn", table.arn + "/index/" + index.name);
    }
    if (!globals.isEmpty()) {
      d.set("GlobalSecondaryIndexes", globals);
    }
    if (!locals.isEmpty()) {
      d.set("LocalSecondaryIndexes", locals);
    }
    if (table.stream != null) {
      if (table.streamEnabled()) {
        d.putObject("StreamSpecification")
            .put("StreamEnabled", true)
            .put("StreamViewType", table.stream.viewType);
      }
      d.put("LatestStreamLabel", table.stream.label);
      d.put("LatestStreamArn", table.stream.arn);
    }
    d.put("DeletionProtectionEnabled", false);
    return d;
  }

  private static ObjectNode throughput(Table table) {
    ObjectNode t = NODES.objectNode();
    t.put("NumberOfDecreasesToday", 0);
    t.put("ReadCapacityUnits", table.readCapacity);
    t.put("WriteCapacityUnits", table.writeCapacity);
    return t;
  }

  static ArrayNode keySchema(KeySchema key) {
    ArrayNode a = NODES.arrayNode();
    a.addObject().put("AttributeName", key.hash()).put("KeyType", "HASH");
    if (key.hasRange()) {
      a.addObject().put("AttributeName", key.range()).put("KeyType", "RANGE");
    }
    return a;
  }
}
