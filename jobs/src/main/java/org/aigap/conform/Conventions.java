package org.aigap.conform;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.udf;

import java.text.Normalizer;
import java.time.LocalDate;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * How the documents' figures are read, each rule in one place: the pipeline applies them to Spark
 * columns (as UDFs over the same Java code), and tools such as the feed generator call them
 * directly, so the two can never disagree.
 */
public final class Conventions {
  /** A spot rate older than this many days before the date it is used for is not used. */
  public static final int MAX_SPOT_AGE_DAYS = 7;

  private Conventions() {}

  /**
   * The rules as Spark UDFs, made on first use: a tool calling the rules directly (the feed
   * generator, run from the application jar without Spark) never loads Spark.
   */
  private static final class Udfs {
    static final UserDefinedFunction ALIAS_KEY =
        udf((UDF1<String, String>) Conventions::aliasKey, DataTypes.StringType);
    static final UserDefinedFunction COUNTED_UNTIL =
        udf(
            (UDF3<String, String, String, String>)
                (kind, end, asOf) -> {
                  LocalDate d = countedUntil(kind, date(end), date(asOf));
                  return d == null ? null : d.toString();
                },
            DataTypes.StringType);
  }

  /**
   * The key a name or alias is matched by: NFKC-folded (full-width becomes ASCII), trimmed, lower
   * case.
   */
  public static String aliasKey(String name) {
    return name == null
        ? null
        : Normalizer.normalize(name, Normalizer.Form.NFKC).trim().toLowerCase(Locale.ROOT);
  }

  public static Column aliasKey(Column name) {
    return Udfs.ALIAS_KEY.apply(name);
  }

  /**
   * The last day a figure counts, for totals recomputed from granular data: a level (kind {@code
   * stock}, e.g. funding "to date" or cumulative downloads) counts everything up to its as-of date
   * (from its period start, if it has one: the caller's lower bound); a flow or a share counts its
   * period, to its end.
   */
  public static LocalDate countedUntil(String kind, LocalDate periodEnd, LocalDate asOf) {
    if ("stock".equals(kind) || periodEnd == null) {
      return asOf;
    }
    return periodEnd;
  }

  public static Column countedUntil(Column kind, Column periodEnd, Column asOf) {
    return Udfs.COUNTED_UNTIL
        .apply(kind, periodEnd.cast("string"), asOf.cast("string"))
        .cast("date");
  }

  /** A list written in one field as "a|b|c": trimmed, blanks and repeats dropped. */
  public static Column pipeList(Column text) {
    return array_distinct(filter(split(coalesce(text, lit("")), "\\|"), x -> trim(x).notEqual("")));
  }

  private static LocalDate date(String text) {
    return text == null ? null : LocalDate.parse(text);
  }
}
