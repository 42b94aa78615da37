package org.aigap.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.aigap.Runs;
import org.aigap.TestLakehouse;
import org.aigap.core.PipelineException;
import org.aigap.core.RunContext;
import org.aigap.core.RunRecord;
import org.aigap.core.SchemaCatalog;
import org.aigap.core.TableSchema;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken and hostile input: each case ends quarantined with a reason, or fails the job naming the
 * file, and no row is lost. The README's table of cases mirrors this class.
 */
class HostileInputTest {
  private static final TableSchema FACTS = TestLakehouse.schemas().get(SchemaCatalog.RAW, "facts");

  /** The tesla row of the shipped extract with some fields changed, as a CSV line. */
  private static String variant(TestLakehouse lake, String id, Map<String, String> changes) {
    String base =
        lake.lines("facts.csv").stream()
            .filter(l -> l.startsWith("tesla_market_cap_2025,"))
            .findFirst()
            .orElseThrow();
    List<String> fields = new ArrayList<>(CsvLine.parse(base, ',').fields());
    fields.set(0, id);
    changes.forEach((column, value) -> fields.set(FACTS.columnNames().indexOf(column), value));
    List<String> quoted = new ArrayList<>();
    for (String f : fields) {
      quoted.add(
          f.contains(",") || f.contains("\"") || f.contains("\n")
              ? "\"" + f.replace("\"", "\"\"") + "\""
              : f);
    }
    return String.join(",", quoted);
  }

  private static Map<String, String> changes(String... pairs) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  /** Failed checks per quarantined line, as "column:check". */
  private static Map<Long, TreeSet<String>> quarantine(RunContext ctx, TestLakehouse lake) {
    Map<Long, TreeSet<String>> out = new LinkedHashMap<>();
    for (Row r :
        ctx.spark()
            .read()
            .format("delta")
            .load(lake.table("bronze", "quarantine"))
            .orderBy("line")
            .collectAsList()) {
      out.computeIfAbsent(r.<Long>getAs("line"), k -> new TreeSet<>())
          .add(r.getAs("column") + ":" + r.getAs("check"));
    }
    return out;
  }

  @Test
  void hostileRowsAreQuarantinedWithAReasonAndNoneIsLost(@TempDir Path dir) throws IOException {
    TestLakehouse lake = new TestLakehouse(dir);
    List<String> lines = lake.lines("facts.csv");
    int shipped = lines.size() - 1;
    Map<String, String> expected = new LinkedHashMap<>();
    List<String> extra = new ArrayList<>();
    extra.add(variant(lake, "h_thousands", changes("value_low", "1,340", "value_high", "1,340")));
    expected.put("h_thousands", "[value_high:value_high_type, value_low:value_low_type]");
    extra.add(variant(lake, "h_nan", changes("value_low", "NaN", "value_high", "Infinity")));
    expected.put("h_nan", "[value_high:value_high_type, value_low:value_low_type]");
    extra.add(variant(lake, "h_negative", changes("value_low", "-1.34", "value_high", "-1.34")));
    expected.put(
        "h_negative",
        "[unit+value_low:amount_not_negative, value_high:value_high_min, value_low:value_low_min]");
    extra.add(
        variant(lake, "h_absurd", changes("value_low", "900000000", "value_high", "900000000")));
    expected.put("h_absurd", "[value_high+scale:amount_plausible]");
    extra.add(variant(lake, "h_future", changes("as_of_date", "2031-01-01")));
    expected.put("h_future", "[source_file+as_of_date:as_of_not_after_source_date]");
    extra.add(variant(lake, "h_impossible", changes("as_of_date", "2025-02-30")));
    expected.put("h_impossible", "[as_of_date:as_of_date_type]");
    extra.add(variant(lake, "h_currency", changes("currency", "RMB")));
    expected.put("h_currency", "[currency:currency_allowed]");
    extra.add(
        variant(
            lake,
            "h_formula",
            changes("quote", "=HYPERLINK(\"http://example.invalid\",\"Tesla\")")));
    expected.put("h_formula", "[quote:quote_formula]");
    lines.addAll(extra);
    // Full-width digits are digits: read as the number they write, not quarantined.
    lines.add(variant(lake, "h_fullwidth", changes("value_low", "１.３４", "value_high", "１.３４")));
    // A quoted field with an embedded newline becomes two broken physical lines.
    String[] split = variant(lake, "h_newline", changes("quote", "Tesla市值\n1.34万亿美元")).split("\n");
    lines.add(split[0]);
    lines.add(split[1]);
    // A truncated last line, with no newline after it.
    String truncated = variant(lake, "h_truncated", Map.of());
    String body = String.join("\n", lines) + "\n" + truncated.substring(0, truncated.length() / 2);

    // A UTF-8 BOM before the header, and one line whose Chinese text is GBK-encoded.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    bytes.write(body.getBytes(StandardCharsets.UTF_8));
    bytes.write('\n');
    bytes.write(
        variant(lake, "h_gbk", changes("entity_name", "小鹏汽车")).getBytes(Charset.forName("GBK")));
    bytes.write('\n');
    Files.write(lake.raw().resolve("facts.csv"), bytes.toByteArray());

    RunContext ctx = lake.newRun();
    RunRecord.TableCounts counts = Runs.ingest(ctx, FACTS).tables().get(0);
    Map<Long, TreeSet<String>> q = quarantine(ctx, lake);

    for (int i = 0; i < extra.size(); i++) {
      String id = extra.get(i).substring(0, extra.get(i).indexOf(','));
      assertEquals(expected.get(id), String.valueOf(q.get((long) shipped + 2 + i)), id);
    }
    long newline = shipped + 2 + extra.size() + 1;
    assertEquals(null, q.get(newline - 1), "full-width digits are accepted");
    Row fullwidth =
        ctx.spark()
            .read()
            .format("delta")
            .load(lake.table("bronze", "bronze_facts"))
            .filter("fact_id = 'h_fullwidth'")
            .first();
    assertEquals(0, new java.math.BigDecimal("1.34").compareTo(fullwidth.getAs("value_low")));
    assertEquals(
        "[*:well_formed]", String.valueOf(q.get(newline)), "first half of an embedded newline");
    assertEquals(
        "[*:well_formed]",
        String.valueOf(q.get(newline + 1)),
        "second half of an embedded newline");
    assertEquals("[*:well_formed]", String.valueOf(q.get(newline + 2)), "truncated line");
    assertEquals("[*:well_formed]", String.valueOf(q.get(newline + 3)), "GBK line");
    String gbkReason =
        ctx.spark()
            .read()
            .format("delta")
            .load(lake.table("bronze", "quarantine"))
            .filter("line = " + (newline + 3))
            .first()
            .getAs("reason");
    assertTrue(gbkReason.contains("not valid UTF-8"), gbkReason);

    assertEquals(shipped + extra.size() + 5, counts.rowsRead());
    assertEquals(
        shipped + 1,
        counts.rowsAccepted(),
        "every shipped row (the BOM notwithstanding) and the full-width one");
    assertEquals(extra.size() + 4, counts.rowsQuarantined(), "rows lost: none");
  }

  @Test
  void anEmptyFileFailsNamingTheFile(@TempDir Path dir) throws IOException {
    TestLakehouse lake = new TestLakehouse(dir);
    Files.writeString(lake.raw().resolve("facts.csv"), "");
    PipelineException e =
        assertThrows(PipelineException.class, () -> Runs.ingest(lake.newRun(), FACTS));
    assertTrue(
        e.getMessage()
            .matches(
                "Cannot ingest .*/raw/facts.csv: the file is empty \\(expected a header line\\)"),
        e.getMessage());
  }

  @Test
  void aFileWithTheWrongDelimiterFailsAtItsHeader(@TempDir Path dir) {
    TestLakehouse lake = new TestLakehouse(dir);
    List<String> lines = lake.lines("facts.csv");
    lines.set(0, lines.get(0).replace(',', ';'));
    lake.write("facts.csv", lines);
    PipelineException e =
        assertThrows(PipelineException.class, () -> Runs.ingest(lake.newRun(), FACTS));
    assertTrue(
        e.getMessage()
            .contains(
                "/raw/facts.csv line 1: header does not match its schema: missing columns"
                    + " [fact_id"),
        e.getMessage());
  }

  @Test
  void aHeaderOnlyFileIsAnEmptyTable(@TempDir Path dir) {
    TestLakehouse lake = new TestLakehouse(dir);
    lake.write("facts.csv", lake.lines("facts.csv").subList(0, 1));
    RunContext ctx = lake.newRun();
    RunRecord.TableCounts counts = Runs.ingest(ctx, FACTS).tables().get(0);
    assertEquals(0, counts.rowsRead());
    assertTrue(DeltaTable.isDeltaTable(ctx.spark(), lake.table("bronze", "bronze_facts")));
    assertEquals(
        0, ctx.spark().read().format("delta").load(lake.table("bronze", "bronze_facts")).count());
  }

  @Test
  void aMissingFileFailsNamingIt(@TempDir Path dir) throws IOException {
    TestLakehouse lake = new TestLakehouse(dir);
    Files.delete(lake.raw().resolve("facts.csv"));
    PipelineException e =
        assertThrows(PipelineException.class, () -> Runs.ingest(lake.newRun(), FACTS));
    assertTrue(
        e.getMessage().matches("Cannot ingest .*/raw/facts.csv: no such file"), e.getMessage());
    assertFalse(
        DeltaTable.isDeltaTable(org.aigap.SharedSpark.get(), lake.table("bronze", "bronze_facts")));
  }
}
