package org.aigap.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.aigap.TestLakehouse;
import org.aigap.core.SchemaCatalog;
import org.aigap.core.TableSchema;
import org.junit.jupiter.api.Test;

/** The shipped extracts against their schemas and against the source documents. */
class RawExtractsTest {
  private static List<List<String>> rows(String file) throws IOException {
    TableSchema schema =
        TestLakehouse.schemas().layer(SchemaCatalog.RAW).stream()
            .filter(s -> s.file().equals(file))
            .findFirst()
            .orElseThrow();
    List<List<String>> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(TestLakehouse.SHIPPED_RAW.resolve(file));
    for (String line : lines.subList(1, lines.size())) {
      CsvLine.Parsed p = CsvLine.parse(line, schema.delimiter());
      assertEquals(null, p.error(), file + ": " + line);
      assertEquals(schema.columns().size(), p.fields().size(), file + ": " + line);
      out.add(p.fields());
    }
    return out;
  }

  @Test
  void everyRawFileHasASchemaAndEverySchemaAFileWhoseHeaderMatches() throws IOException {
    Set<String> declared = new HashSet<>();
    for (TableSchema schema : TestLakehouse.schemas().layer(SchemaCatalog.RAW)) {
      declared.add(schema.file());
      RawFile.open(
          TestLakehouse.SHIPPED_RAW.resolve(schema.file()).toString(),
          schema,
          TestLakehouse.hadoop());
    }
    try (Stream<Path> files = Files.list(TestLakehouse.SHIPPED_RAW)) {
      assertEquals(declared, new HashSet<>(files.map(p -> p.getFileName().toString()).toList()));
    }
  }

  @Test
  void everyFigureOfBothDocumentsIsInTheQuoteOfAFactOrClaimFromThatDocument() throws IOException {
    List<String> quotes = new ArrayList<>();
    for (List<String> f : rows("facts.csv")) {
      quotes.add(f.get(1) + "\t" + f.get(18));
    }
    for (List<String> c : rows("claims.csv")) {
      quotes.add(c.get(1) + "\t" + c.get(3));
    }
    Path coverage = TestLakehouse.PROJECT.resolve("jobs/src/test/resources/coverage/figures.tsv");
    List<String> figures = Files.readAllLines(coverage);
    List<String> missing = new ArrayList<>();
    for (String line : figures.subList(1, figures.size())) {
      String[] f = line.split("\t");
      boolean found =
          quotes.stream()
              .anyMatch(
                  q -> q.startsWith(f[0] + "\t") && q.substring(f[0].length() + 1).contains(f[1]));
      if (!found) {
        missing.add(line);
      }
    }
    assertTrue(figures.size() > 50, "the coverage list is not empty");
    assertEquals(List.of(), missing, "figures with no fact or claim quoting them");
  }

  @Test
  void everyQuoteOfAFactOrClaimIsVerbatimInItsSourceDocument() throws IOException {
    Path sources = TestLakehouse.PROJECT.resolve("data/sources");
    for (String file : List.of("facts.csv", "claims.csv")) {
      List<String> header =
          List.of(Files.readAllLines(TestLakehouse.SHIPPED_RAW.resolve(file)).get(0).split(","));
      List<List<String>> rows = rows(file);
      assertTrue(rows.size() > 10, file + " has rows");
      for (List<String> r : rows) {
        String doc = Files.readString(sources.resolve(r.get(header.indexOf("source_file"))));
        assertTrue(
            doc.contains(r.get(header.indexOf("quote"))), file + " " + r.get(0) + ": verbatim");
      }
    }
  }
}
