package org.aigap;

import java.util.List;
import org.aigap.conform.Claims;
import org.aigap.conform.Downloads;
import org.aigap.conform.Entities;
import org.aigap.conform.Facts;
import org.aigap.conform.FundingRounds;
import org.aigap.conform.FxRates;
import org.aigap.conform.SpotRates;
import org.aigap.core.SchemaCatalog;
import org.aigap.core.TableSchema;
import org.aigap.graph.DataflowGraph;
import org.aigap.graph.DatasetDef;
import org.aigap.graph.Rule;
import org.aigap.graph.SqlFiles;

/**
 * Every dataset of the pipeline, declared once: bronze tables from the raw extracts in {@code
 * schemas/raw/}, silver tables as transforms of their inputs with their row rules, gold outputs as
 * SQL files in {@code sql/gold/}. The run order follows from the declared inputs.
 */
public final class Registry {
  private Registry() {}

  public static DataflowGraph graph(SchemaCatalog schemas) {
    return DataflowGraph.of(datasets(schemas));
  }

  public static List<DatasetDef> datasets(SchemaCatalog schemas) {
    TableSchema ecb = schemas.get(SchemaCatalog.RAW, "fx_rates_ecb");
    return List.of(
        // Bronze: each raw extract, checked by the rules of its schema.
        bronze(schemas, "facts"),
        bronze(schemas, "entities"),
        bronze(schemas, "claims"),
        bronze(schemas, "fx_rates_ecb"),
        bronze(schemas, "funding_rounds"),
        bronze(schemas, "model_downloads"),

        // Silver: one footing for every figure.
        DatasetDef.silver(
            silver(schemas, "entities"),
            List.of("bronze.entities"),
            "bronze.entities",
            List.of(),
            in -> Entities.conform(in.get("bronze.entities"))),
        DatasetDef.silver(
            silver(schemas, "entity_aliases"),
            List.of("silver.entities"),
            null,
            List.of(
                Rule.fail(
                    "alias_names_one_entity",
                    "alias",
                    "size(entity_ids_for_key) = 1",
                    "concat('alias ''', alias, ''' names more than one entity: ',"
                        + " array_join(entity_ids_for_key, ', '))")),
            in -> Entities.aliases(in.get("silver.entities"))),
        DatasetDef.silver(
            silver(schemas, "fx_rates"),
            List.of("bronze.fx_rates_ecb"),
            null,
            List.of(),
            in -> FxRates.conform(in.get("bronze.fx_rates_ecb"), ecb.key().get(0), ecb.source())),
        DatasetDef.silver(
            silver(schemas, "facts"),
            List.of("bronze.facts", "silver.entity_aliases", "silver.entities", "silver.fx_rates"),
            "bronze.facts",
            List.of(
                Rule.quarantine(
                    "entity_known",
                    "entity_name",
                    "entity_id IS NOT NULL",
                    "concat('entity ''', entity_name, ''' is not a name or alias in"
                        + " entities.csv')"),
                Rule.fail(
                    "fx_rate_known",
                    "currency",
                    "currency IS NULL OR usd_per_unit IS NOT NULL",
                    "CASE WHEN fx_basis = 'spot' THEN "
                        + SpotRates.missingRateSql("currency", "as_of_date")
                        + " ELSE concat('no FX reference rate for ', currency, ' covering the"
                        + " period ', CAST(period_start AS STRING), ' to ', CAST(period_end AS"
                        + " STRING), '; extend data/raw/eurofxref-hist.csv') END")),
            in ->
                Facts.conform(
                    in.get("bronze.facts"),
                    in.get("silver.entity_aliases"),
                    in.get("silver.entities"),
                    in.get("silver.fx_rates"))),
        DatasetDef.silver(
            silver(schemas, "claims"),
            List.of("bronze.claims", "silver.facts"),
            "bronze.claims",
            List.of(
                Rule.quarantine(
                    "facts_known",
                    "left_fact_ids+right_fact_ids",
                    "size(missing_fact_ids) = 0",
                    "concat('claim refers to fact ''', array_join(missing_fact_ids, ''', '''), ''',"
                        + " which is not in silver facts')")),
            in -> Claims.conform(in.get("bronze.claims"), in.get("silver.facts"))),
        DatasetDef.silver(
            silver(schemas, "funding_rounds"),
            List.of("bronze.funding_rounds", "silver.fx_rates"),
            "bronze.funding_rounds",
            List.of(
                Rule.quarantine(
                    "fx_rate_known",
                    "currency+announced_date",
                    "usd_per_unit IS NOT NULL",
                    SpotRates.missingRateSql("currency", "announced_date"))),
            in ->
                FundingRounds.conform(in.get("bronze.funding_rounds"), in.get("silver.fx_rates"))),
        DatasetDef.silver(
            silver(schemas, "downloads_daily"),
            List.of("bronze.model_downloads"),
            null,
            List.of(),
            in -> Downloads.daily(in.get("bronze.model_downloads"))),

        // Gold: the comparisons, each a SQL file over silver.
        gold(schemas, "valuation_gap", "silver.facts", "silver.claims"),
        gold(schemas, "funding_comparison", "silver.facts"),
        gold(schemas, "company_economics", "silver.facts"),
        gold(schemas, "downloads", "silver.facts"),
        gold(schemas, "pe_valuation", "silver.facts"),
        gold(schemas, "claim_checks", "silver.claims", "silver.facts"),
        gold(schemas, "funding_totals", "silver.funding_rounds"),
        gold(schemas, "download_shares", "silver.downloads_daily"),
        gold(
            schemas,
            "feed_reconciliation",
            "silver.facts",
            "silver.funding_rounds",
            "silver.downloads_daily"));
  }

  private static DatasetDef bronze(SchemaCatalog schemas, String extract) {
    return DatasetDef.bronze(schemas.get(SchemaCatalog.RAW, extract));
  }

  private static TableSchema silver(SchemaCatalog schemas, String table) {
    return schemas.get(SchemaCatalog.SILVER, table);
  }

  private static DatasetDef gold(SchemaCatalog schemas, String output, String... inputs) {
    return DatasetDef.gold(
        schemas.get(SchemaCatalog.GOLD, output),
        List.of(inputs),
        SqlFiles.read("sql/gold/" + output + ".sql"));
  }
}
