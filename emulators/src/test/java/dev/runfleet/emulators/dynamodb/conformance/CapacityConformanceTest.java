package dev.runfleet.emulators.dynamodb.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * ConsumedCapacity as the DynamoDB Developer Guide's "Read/write capacity mode" page computes it,
 * on a table without indexes: writes by started KB of the larger image, reads by started 4 KB,
 * eventual reads at half, transactions at double.
 */
class CapacityConformanceTest extends ConformanceTestBase {

  private String table;

  @Override
  protected void createTables() {
    table = tableName("capacity");
    createTable(keyedTable(table, false, null).build());
  }

  /** An item of about {@code kilobytes} KB (attribute names and values counted). */
  private static Map<String, AttributeValue> itemOf(String pk, double kilobytes) {
    int payload = (int) (kilobytes * 1024) - "pk".length() - pk.length() - "payload".length();
    return item("pk", s(pk), "payload", s("x".repeat(payload)));
  }

  private double put(Map<String, AttributeValue> item) {
    return ddb.putItem(
            b -> b.tableName(table).item(item).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
        .consumedCapacity()
        .capacityUnits();
  }

  @Test
  void putItem_ofOneAndAHalfKilobytes_costsTwoWriteUnits() {
    assertThat(put(itemOf("w1", 1.5))).isEqualTo(2.0);
  }

  @Test
  void putItem_ofATinyItem_costsOneWriteUnit() {
    assertThat(put(item("pk", s("w2")))).isEqualTo(1.0);
  }

  @Test
  void putItem_replacingALargerItem_costsByTheLargerOfTheTwo() {
    put(itemOf("w3", 3.5));

    assertThat(put(item("pk", s("w3")))).isEqualTo(4.0);
  }

  @Test
  void getItem_ofFiveKilobytes_costsTwoUnitsConsistentAndOneEventually() {
    put(itemOf("r1", 5));

    ConsumedCapacity consistent =
        ddb.getItem(
                b ->
                    b.tableName(table)
                        .key(item("pk", s("r1")))
                        .consistentRead(true)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
            .consumedCapacity();
    ConsumedCapacity eventual =
        ddb.getItem(
                b ->
                    b.tableName(table)
                        .key(item("pk", s("r1")))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
            .consumedCapacity();

    assertThat(consistent.tableName()).isEqualTo(table);
    assertThat(consistent.capacityUnits()).isEqualTo(2.0);
    assertThat(eventual.capacityUnits()).isEqualTo(1.0);
  }

  @Test
  void transactWriteItems_costsTwiceThePlainWritesPerTable() {
    var consumed =
        ddb.transactWriteItems(
                b ->
                    b.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                        .transactItems(
                            TransactWriteItem.builder()
                                .put(p -> p.tableName(table).item(item("pk", s("t1"))))
                                .build(),
                            TransactWriteItem.builder()
                                .put(p -> p.tableName(table).item(itemOf("t2", 1.5)))
                                .build()))
            .consumedCapacity();

    assertThat(consumed)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.tableName()).isEqualTo(table);
              assertThat(c.capacityUnits()).isEqualTo(6.0);
            });
  }

  @Test
  void consumedCapacity_isAbsentUnlessAskedFor() {
    assertThat(ddb.putItem(b -> b.tableName(table).item(item("pk", s("n1")))).consumedCapacity())
        .isNull();
  }
}
