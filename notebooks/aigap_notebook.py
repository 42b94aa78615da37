"""What the notebooks share: where the outputs are, reading an output with its manifest, the entities'
display names, and laying out a chart with its source line. Each notebook imports it
(`from aigap_notebook import ...`); the folder is the notebooks' working directory, in Jupyter and in
run_notebooks.py alike."""
import io
import json
import os
import textwrap
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from deltalake import DeltaTable
from IPython.display import Image, Markdown, display

OUTPUTS = os.environ.get("AIGAP_OUTPUTS", "../data/outputs")
WAREHOUSE = os.environ.get("AIGAP_WAREHOUSE", "../data/warehouse")

pd.set_option("display.max_colwidth", 200)
pd.set_option("display.width", 200)


def load_output(name):
    """One output as its manifest commits it: the manifest first, then exactly the files it names
    (never a run being written beside them, never two runs mixed)."""
    folder = Path(OUTPUTS) / name
    manifest = json.loads((folder / "_manifest.json").read_text(encoding="utf-8"))
    return pd.concat([pd.read_parquet(folder / f) for f in manifest["files"]], ignore_index=True), manifest


def display_names():
    """Entity id -> display name (name_en in silver entities) for chart and table labels; ids stay keys."""
    path = f"{WAREHOUSE.rstrip('/')}/silver/entities"
    entities = DeltaTable(path).to_pandas(columns=["entity_id", "name_en"])
    return dict(zip(entities["entity_id"], entities["name_en"]))


def show_manifest(manifest, df):
    display(Markdown(
        f"**{manifest['output']}** - run `{manifest['run_id']}`, written {manifest['written_at']}, "
        f"{manifest['rows']} rows in the manifest / {len(df)} read; silver versions read: "
        + ", ".join(f"`{t}` v{v}" for t, v in manifest["input_versions"].items())
    ))


def num(series):
    """Decimal/object column -> float (None -> NaN); display only."""
    return series.astype(float)


def source_line(manifest, df, fact_col="fact_ids"):
    ids = sorted({f for arr in df[fact_col] for f in arr})
    return f"Source: {manifest['output']}, run {manifest['run_id']}; facts: " + ", ".join(ids)


def finish(fig, text, width=140):
    """Lay the figure out and put the source line under it."""
    wrapped = textwrap.fill(text, width=width)
    lines = wrapped.count("\n") + 1
    fig.tight_layout(rect=(0, (0.1 + 0.14 * lines) / fig.get_figheight(), 1, 1))
    fig.text(0.01, 0.01, wrapped, ha="left", va="bottom", fontsize=7.5, color="dimgray")


def show(fig):
    """Display a figure as PNG under any backend (inline, or Agg in headless runs), then close it."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    display(Image(buffer.getvalue()))


def lineage(df, key):
    """One row per distinct quote behind each row of an output, with its fact ids and citation markers."""
    rows = []
    for _, r in df.iterrows():
        facts = ", ".join(r["fact_ids"])
        cites = " ".join(c for c in r["citations"] if c) or "-"
        for q in dict.fromkeys(r["quotes"]):
            rows.append({key: r[key], "fact_ids": facts, "citations": cites, "quote": q})
    return pd.DataFrame(rows)