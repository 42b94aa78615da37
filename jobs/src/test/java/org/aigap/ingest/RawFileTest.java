package org.aigap.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.aigap.SharedSpark;
import org.aigap.TestLakehouse;
import org.aigap.core.PipelineException;
import org.aigap.core.SchemaCatalog;
import org.aigap.core.TableSchema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawFileTest {
  @Test
  void aFileThatChangesAfterItWasOpenedIsRefused(@TempDir Path dir) throws IOException {
    TableSchema schema = TestLakehouse.schemas().get(SchemaCatalog.RAW, "entities");
    Path file = dir.resolve("entities.csv");
    Files.copy(TestLakehouse.SHIPPED_RAW.resolve("entities.csv"), file);
    RawFile opened = RawFile.open(file.toString(), schema, TestLakehouse.hadoop());
    opened.assertUnchanged(TestLakehouse.hadoop());

    Files.writeString(
        file, "late_row,Late,,,CN,ai_lab,private,company\n", StandardOpenOption.APPEND);
    PipelineException e =
        assertThrows(PipelineException.class, () -> opened.assertUnchanged(TestLakehouse.hadoop()));
    assertTrue(
        e.getMessage()
            .startsWith(
                "Cannot ingest "
                    + opened.path()
                    + ": the file changed while it was being ingested ("),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("re-run ingest when the file is complete"), e.getMessage());
  }

  private static final long MB = 1L << 20;

  private static long tasks(long bytes, int cores) {
    long split = RawFile.splitBytes(bytes, cores, 128 * MB, 4 * MB);
    assertTrue(split <= 128 * MB, "no task reads more than Spark's limit");
    return (bytes + split - 1) / split;
  }

  @Test
  void aLargeFileIsReadInAMultipleOfTheCoresSoNoCoreIdlesAtTheEnd() {
    assertEquals(4, tasks(358_000_000, 2), "3 of 128 MB would leave one core idle for a third");
    assertEquals(28, tasks(3_600_000_000L, 2), "already a multiple of 2");
    assertEquals(9, tasks(1_075_000_000, 3));
    assertEquals(2, tasks(124 * MB, 2), "under the limit, still one task per core");
    assertEquals(1, tasks(31_022, 2), "a small file is one task");
  }

  @Test
  void everyLineKeepsItsNumberWhenTheFileIsReadInManyTasks(@TempDir Path dir) throws IOException {
    TableSchema schema = TestLakehouse.schemas().get(SchemaCatalog.RAW, "model_downloads");
    List<String> lines = new ArrayList<>(List.of(String.join(",", schema.columnNames())));
    for (int line = 2; line <= 3001; line++) {
      lines.add("2025-01-01,m" + line + ",org,CN," + line); // its own line number as downloads
    }
    Path file = dir.resolve("model_downloads.csv");
    Files.write(file, lines);
    RawFile opened = RawFile.open(file.toString(), schema, TestLakehouse.hadoop());
    Dataset<Row> read =
        SharedSpark.withSettings(
            Map.of(
                "spark.sql.files.maxPartitionBytes", "8k", "spark.sql.files.openCostInBytes", "1k"),
            () -> opened.lines(SharedSpark.get(), schema));
    int tasks = read.javaRDD().getNumPartitions();
    assertTrue(tasks >= 8, "read in many tasks: " + tasks);
    assertEquals(0, tasks % SharedSpark.get().sparkContext().defaultParallelism(), "per core");
    assertEquals(3000, read.count(), "every data line once");
    assertEquals(
        0,
        read.filter("_line <> cast(" + RawFile.RAW_PREFIX + "downloads as long)").count(),
        "each line numbered as in the file (1 = header)");
  }

  /**
   * A plain ASCII line without quotes is cut at the delimiter's bytes, any other line as text: both
   * give the same row for the same line, empty fields and the null marker as null, a wrong field
   * count, a blank line and a carriage return as the text path reports them.
   */
  @Test
  void aLineCutAtItsBytesGivesTheRowItsTextGives() {
    List<String> lines =
        List.of(
            "2025-01-01,m1,org-1,CN,5",
            ",m1,,CN,",
            "NA,m1,NA,CN,7",
            "2025-01-01,m1,org-1,CN,5\r",
            "2025-01-01,m1,org-1,CN",
            "2025-01-01,m1,org-1,CN,5,6",
            "   ",
            "",
            "\t \u000b",
            "2025-01-01,\"m,1\",org-1,CN,5",
            "2025-01-01,m1,智谱,CN,5",
            "2025-01-01,m1,org\u0000,CN,5");
    for (String line : lines) {
      org.apache.hadoop.io.Text text = new org.apache.hadoop.io.Text(line);
      String asText = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      assertEquals(
          RawFile.fromText(9, asText, ',', "NA", 5),
          RawFile.split(9, text, ',', "NA", 5),
          "line " + line.replace("\r", "\\r"));
    }
    org.apache.spark.sql.catalyst.InternalRow plain =
        RawFile.split(9, new org.apache.hadoop.io.Text(",m1,NA,CN,"), ',', "NA", 5);
    assertEquals(List.of(true, false, true, false, true), nulls(plain));
  }

  private static List<Boolean> nulls(org.apache.spark.sql.catalyst.InternalRow row) {
    List<Boolean> out = new ArrayList<>();
    for (int i = 3; i < row.numFields(); i++) {
      out.add(row.isNullAt(i));
    }
    return out;
  }
}
