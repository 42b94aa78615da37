package org.aigap.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.aigap.SharedSpark;
import org.aigap.core.DeltaTables;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepeatedKeysTest {
  private static List<Long> repeated(Long... values) {
    List<Long> out = new ArrayList<>();
    Iterator<Long> it = RepeatedKeys.repeatedIn(List.of(values).iterator());
    it.forEachRemaining(out::add);
    return out;
  }

  @Test
  void reportsEachValueThatOccursMoreThanOnceOnceInOrder() {
    assertEquals(List.of(-7L, 1L, 5L), repeated(5L, 1L, 5L, 3L, 1L, 5L, 9L, -7L, -7L));
  }

  @Test
  void uniqueValuesAndNoValuesReportNothing() {
    assertEquals(List.of(), repeated(3L, 2L, 1L, Long.MIN_VALUE, Long.MAX_VALUE));
    assertEquals(List.of(), repeated());
  }

  @Test
  void growsPastItsFirstArray() {
    List<Long> values = new ArrayList<>();
    for (long i = 0; i < 5000; i++) {
      values.add(i);
    }
    values.add(4321L);
    assertEquals(List.of(4321L), repeated(values.toArray(Long[]::new)));
  }

  // ---- without a shuffle, from files in key order ---------------------------------------------

  private static final StructType KEYS =
      new StructType().add("model_id", DataTypes.StringType).add("day", DataTypes.IntegerType);

  private static final Column HASH =
      xxhash64(col("model_id"), col("model_id").isNull(), col("day"), col("day").isNull());

  /** A Delta table of one file per part (parts of one size), in one commit, with statistics. */
  private static String table(java.nio.file.Path dir, List<List<Row>> parts) {
    SparkSession spark = SharedSpark.get();
    List<Row> rows = new ArrayList<>();
    parts.forEach(rows::addAll);
    Dataset<Row> all =
        spark.createDataFrame(
            JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, parts.size()),
            KEYS);
    String path = dir.resolve("t").toUri().toString();
    DeltaTables.create(spark, path, all, null, List.of("model_id"), null, "overwrite");
    return path;
  }

  private static Row key(String model, int day) {
    return RowFactory.create(model, day);
  }

  private static Set<Long> hashesOf(Row... keys) {
    Set<Long> out = new TreeSet<>();
    SharedSpark.get()
        .createDataFrame(List.of(keys), KEYS)
        .select(HASH)
        .collectAsList()
        .forEach(r -> out.add(r.getLong(0)));
    return out;
  }

  private static Set<Long> repeatedWithinFiles(String path) {
    List<String> points =
        DeltaTables.meetingPoints(
            SharedSpark.get().sparkContext().hadoopConfiguration(),
            path,
            "model_id",
            DataTypes.StringType);
    Dataset<Row> found =
        RepeatedKeys.withinFiles(
            SharedSpark.get().read().format("delta").load(path),
            HASH,
            "h",
            col("model_id").isin(points.stream().map(p -> lit(p)).toArray()));
    if (found == null) {
      return null;
    }
    Set<Long> out = new TreeSet<>();
    found.collectAsList().forEach(r -> out.add(r.getLong(0)));
    return out;
  }

  @Test
  void filesInKeyOrderMeetOnlyWhereOneEndsAndTheNextBegins(@TempDir java.nio.file.Path dir) {
    String path =
        table(
            dir,
            List.of(
                List.of(key("a", 1), key("b", 1), key("c", 1)),
                List.of(key("c", 2), key("d", 1), key("e", 1)),
                List.of(key("f", 1), key("g", 1), key("h", 1))));
    var hadoop = SharedSpark.get().sparkContext().hadoopConfiguration();
    assertEquals(
        List.of("c"), DeltaTables.meetingPoints(hadoop, path, "model_id", DataTypes.StringType));
    String overlapping =
        table(
            dir.resolve("overlapping"),
            List.of(List.of(key("a", 1), key("c", 1)), List.of(key("b", 1), key("d", 1))));
    assertNull(DeltaTables.meetingPoints(hadoop, overlapping, "model_id", DataTypes.StringType));
    String longText =
        table(dir.resolve("long"), List.of(List.of(key("a", 1)), List.of(key("b".repeat(40), 1))));
    assertNull(
        DeltaTables.meetingPoints(hadoop, longText, "model_id", DataTypes.StringType),
        "a bound Delta may have cut short is not certain");
  }

  @Test
  void aKeyRepeatedWithinAFileOrAcrossFilesWhereTheyMeetIsFoundWithoutAShuffle(
      @TempDir java.nio.file.Path dir) {
    String path =
        table(
            dir,
            List.of(
                List.of(key("a", 1), key("b", 1), key("c", 1)),
                List.of(key("c", 1), key("d", 1), key("d", 1)),
                List.of(key("e", 1), key("f", 1), key("g", 1))));
    // One file per task, so that (c, 1) is found where the files meet, not within a task.
    Map<String, String> filePerTask = Map.of("spark.sql.files.openCostInBytes", "128m");
    assertEquals(
        3,
        SharedSpark.withSettings(
            filePerTask,
            () -> SharedSpark.get().read().format("delta").load(path).rdd().getNumPartitions()));
    assertEquals(
        hashesOf(key("c", 1), key("d", 1)),
        SharedSpark.withSettings(filePerTask, () -> repeatedWithinFiles(path)));
  }

  @Test
  void aFileSplitBetweenTasksIsLeftToTheShuffle(@TempDir java.nio.file.Path dir) {
    List<Row> many = new ArrayList<>();
    for (int day = 0; day < 20_000; day++) {
      many.add(key(day < 10_000 ? "a" : "b", day));
    }
    String path = table(dir, List.of(many));
    assertNull(
        SharedSpark.withSettings(
            Map.of(
                "spark.sql.files.maxPartitionBytes", "4096",
                "spark.sql.files.openCostInBytes", "0"),
            () -> repeatedWithinFiles(path)));
  }
}
