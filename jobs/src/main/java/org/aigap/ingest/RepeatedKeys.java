package org.aigap.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Finds the key hashes that occur more than once. Nearly every key of a large extract is unique, so
 * a group-by would build a hash map as large as the file before its shuffle and reduce nothing;
 * instead the 64-bit hashes are shuffled bare, and each partition sorts its primitive array and
 * reports the runs of equal values.
 */
final class RepeatedKeys {
  /** Hashes per partition to aim for: 8 MB of longs, sorted in a moment. */
  private static final long HASHES_PER_PARTITION = 1L << 20;

  private static final String AT_MEETING_POINT = "_at_meeting_point";

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

  /**
   * The same hashes as {@link #hashes}, without shuffling them all, from a table whose files hold
   * ranges of the key's first column that meet at most at their ends ({@link
   * org.aigap.core.DeltaTables#meetingPoints}: an extract written in key order, as most are, cut
   * into files). A key can then only repeat within one file, or across files when its first column
   * is one of the points where they meet ({@code atMeetingPoint}): each task sorts the hashes of
   * the whole files it reads, and the few rows at the meeting points are compared together. Null
   * when Spark split a file between tasks (a file larger than its split size), for the caller to
   * shuffle every hash instead.
   */
  static Dataset<Row> withinFiles(
      Dataset<Row> table, Column hash, String column, Column atMeetingPoint) {
    Observation split = new Observation("files split between tasks");
    Dataset<Row> found =
        table
            .select(
                hash.as(column),
                atMeetingPoint.as(AT_MEETING_POINT),
                col("_metadata.file_block_length")
                    .notEqual(col("_metadata.file_size"))
                    .as("_part_of_file"))
            .observe(split, count(when(col("_part_of_file"), 1)).as("rows"))
            .select(column, AT_MEETING_POINT)
            .as(Encoders.tuple(Encoders.LONG(), Encoders.BOOLEAN()))
            .mapPartitions(
                (MapPartitionsFunction<Tuple2<Long, Boolean>, Tuple2<Long, Boolean>>)
                    RepeatedKeys::withinTask,
                Encoders.tuple(Encoders.LONG(), Encoders.BOOLEAN()))
            .toDF(column, AT_MEETING_POINT)
            .localCheckpoint(); // runs the job, so that the observation is in
    Row parts = split.getRow();
    if (parts.length() > 0 && parts.getLong(0) > 0) {
      return null;
    }
    Dataset<Row> across =
        found
            .filter(col(AT_MEETING_POINT))
            .groupBy(column)
            .count()
            .filter(col("count").gt(1))
            .select(column);
    return found.filter(not(col(AT_MEETING_POINT))).select(column).union(across).distinct();
  }

  /**
   * The hashes that repeat within one task, untagged, and the hash of every row at a meeting point,
   * tagged: for {@link #withinFiles}.
   */
  static Iterator<Tuple2<Long, Boolean>> withinTask(Iterator<Tuple2<Long, Boolean>> rows) {
    long[] all = new long[1024];
    long[] atPoints = new long[16];
    int n = 0;
    int atPoint = 0;
    while (rows.hasNext()) {
      Tuple2<Long, Boolean> row = rows.next();
      all = append(all, n++, row._1());
      if (row._2()) {
        atPoints = append(atPoints, atPoint++, row._1());
      }
    }
    List<Tuple2<Long, Boolean>> out = new ArrayList<>();
    repeated(all, n).forEach(h -> out.add(new Tuple2<>(h, false)));
    for (int i = 0; i < atPoint; i++) {
      out.add(new Tuple2<>(atPoints[i], true));
    }
    return out.iterator();
  }

  /** Each value that occurs more than once in {@code values}, once, in ascending order. */
  static Iterator<Long> repeatedIn(Iterator<Long> values) {
    long[] all = new long[1024];
    int n = 0;
    while (values.hasNext()) {
      all = append(all, n++, values.next());
    }
    return repeated(all, n).iterator();
  }

  /** {@code values} with {@code value} at {@code at}, grown (doubled) when full. */
  private static long[] append(long[] values, int at, long value) {
    long[] out = at == values.length ? Arrays.copyOf(values, at * 2) : values;
    out[at] = value;
    return out;
  }

  /**
   * Each value that occurs more than once among the first {@code n} of {@code all} (sorted here).
   */
  private static List<Long> repeated(long[] all, int n) {
    Arrays.sort(all, 0, n);
    List<Long> out = new ArrayList<>();
    for (int i = 1; i < n; i++) {
      if (all[i] == all[i - 1] && (out.isEmpty() || out.get(out.size() - 1) != all[i])) {
        out.add(all[i]);
      }
    }
    return out;
  }
}
