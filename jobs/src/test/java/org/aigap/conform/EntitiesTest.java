package org.aigap.conform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.aigap.Rows;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class EntitiesTest {
  private static final String BRONZE =
      "entity_id STRING, name_en STRING, name_zh STRING, aliases STRING, country STRING";

  @Test
  void everyNameAnEntityGoesByResolvesToIt() {
    Dataset<Row> entities =
        Entities.conform(
            Rows.of(
                BRONZE, new Object[] {"moonshot_ai", "Moonshot AI", "月之暗面", "Kimi| kimi |", "CN"}));
    Row moonshot = entities.first();
    assertEquals(
        List.of("Moonshot AI", "月之暗面", "Kimi", " kimi "),
        moonshot.getList(moonshot.fieldIndex("aliases")));
    Dataset<Row> aliases = Entities.aliases(entities);
    assertEquals(
        List.of("kimi", "moonshot ai", "月之暗面"),
        aliases
            .select("alias_key")
            .orderBy("alias_key")
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList(),
        "Kimi and ' kimi ' share one key");
    Row kimi = Rows.one(aliases, "alias_key", "kimi");
    assertEquals(List.of("moonshot_ai"), kimi.getList(kimi.fieldIndex("entity_ids_for_key")));
  }

  @Test
  void anAliasTwoEntitiesShareIsMarkedForTheDatasetsRule() {
    Dataset<Row> entities =
        Entities.conform(
            Rows.of(
                BRONZE,
                new Object[] {"z_ai", "Z.ai", "智谱", "Zhipu", "CN"},
                new Object[] {"other", "Other", null, "ＺＨＩＰＵ", "CN"}));
    Row clash = Entities.aliases(entities).filter("alias_key = 'zhipu'").first();
    assertEquals(List.of("other", "z_ai"), clash.getList(clash.fieldIndex("entity_ids_for_key")));
  }
}
