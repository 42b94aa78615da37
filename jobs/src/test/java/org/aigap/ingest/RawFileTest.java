package org.aigap.ingest;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.aigap.TestLakehouse;
import org.aigap.core.PipelineException;
import org.aigap.core.SchemaCatalog;
import org.aigap.core.TableSchema;
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
}
