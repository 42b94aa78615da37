package org.aigap.ingest;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * Finds the key hashes that occur more than once. Nearly every key of a large extract is unique, so
 * a group-by would build a hash map as large as the file before its shuffle and reduce nothing;
 * instead the 64-bit hashes are shuffled bare, and each partition sorts its primitive array and
 * reports the runs of equal values.
 */
final class RepeatedKeys {
  /** Hashes per partition to aim for: 8 MB of longs, sorted in a moment. */
  private static final long HASHES_PER_PARTITION = 1L << 20;

  private RepeatedKeys() {}

  /**
   * The hashes in {@code column} of {@code rows} that occur more than once, one row each, in a
   * column of the same name; {@code expectedRows} sizes the shuffle.
   */
  static Dataset<Row> hashes(
      Dataset<Row> rows, Column hash, String column, long expectedRows, int minPartitions) {
    int partitions =
        (int) Math.max(minPartitions, Math.min(10_000, expectedRows / HASHES_PER_PARTITION + 1));
    return rows.select(hash.as(column))
        .repartition(partitions, col(column))
        .as(Encoders.LONG())
        .mapPartitions(
            (MapPartitionsFunction<Long, Long>) RepeatedKeys::repeatedIn, Encoders.LONG())
        .toDF(column);
  }

  /** Each value that occurs more than once in {@code values}, once, in ascending order. */
  static Iterator<Long> repeatedIn(Iterator<Long> values) {
    long[] all = new long[1024];
    int n = 0;
    while (values.hasNext()) {
      if (n == all.length) {
        all = Arrays.copyOf(all, all.length * 2);
      }
      all[n++] = values.next();
    }
    Arrays.sort(all, 0, n);
    List<Long> out = new ArrayList<>();
    for (int i = 1; i < n; i++) {
      if (all[i] == all[i - 1] && (out.isEmpty() || out.get(out.size() - 1) != all[i])) {
        out.add(all[i]);
      }
    }
    return out.iterator();
  }
}
