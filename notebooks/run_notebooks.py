#!/usr/bin/env python3
"""Execute every notebooks/*.ipynb headless, in name order, without writing outputs back.

    python notebooks/run_notebooks.py [NAME_OR_PATH ...] [--save-dir DIR]

Each notebook runs in a fresh python3 kernel (the interpreter running this script) with its working
directory set to notebooks/, a 600 s limit per cell and MPLBACKEND=Agg. AIGAP_OUTPUTS and
AIGAP_WAREHOUSE pass through to the kernel; relative values are taken relative to the directory this
script is started from. Prints one line per notebook with its run time and exits 1 on the first error,
naming the notebook and the cell (counted from 1, markdown cells included). --save-dir writes the
executed copies there (never over the committed notebooks).
"""
import argparse
import os
import re
import sys
import time
from pathlib import Path

import nbformat
import zmq
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from traitlets.config import Config

NOTEBOOKS = Path(__file__).resolve().parent
CELL_TIMEOUT = 600
SETTINGS = ("AIGAP_OUTPUTS", "AIGAP_WAREHOUSE")


def prepare_environment():
    os.environ["MPLBACKEND"] = "Agg"
    for name in SETTINGS:
        value = os.environ.get(name)
        # a plain relative path is meant from where the runner was started, not from notebooks/
        if value and "://" not in value and not os.path.isabs(value):
            os.environ[name] = os.path.abspath(value)


def plain(text):
    """Drop the terminal colour codes of an IPython traceback."""
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def select(names):
    if not names:
        return sorted(NOTEBOOKS.glob("*.ipynb"))
    chosen = []
    for name in names:
        path = Path(name)
        if not path.exists():
            path = NOTEBOOKS / (name if name.endswith(".ipynb") else name + ".ipynb")
        if not path.exists():
            sys.exit(f"run_notebooks: no notebook {name!r} in {NOTEBOOKS}")
        chosen.append(path.resolve())
    return chosen


def run(path, save_dir):
    nb = nbformat.read(path, as_version=4)
    current = {"index": None}

    def on_cell_start(cell, cell_index, **_):
        current["index"] = cell_index

    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
        on_cell_start=on_cell_start,
        # encrypt the local kernel channels where the kernelspec allows it (ipykernel does)
        config=Config({"KernelManager": {"transport_encryption": "auto" if zmq.has("curve") else "disabled"}}),
    )
    started = time.monotonic()
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
        index = current["index"]
        if index is None:
            where = "kernel start-up"
        else:
            first_line = (nb.cells[index].source.strip().splitlines() or [""])[0]
            where = f"cell {index + 1} of {len(nb.cells)} ({first_line[:60]!r})"
        what = f"{error.ename}: {error.evalue}" if isinstance(error, CellExecutionError) else type(error).__name__
        print(f"FAILED {path.name}: {where} after {time.monotonic() - started:.1f} s: {plain(what)}", flush=True)
        print(plain(str(error)).strip()[-3000:], file=sys.stderr)
        return False
    print(f"ok     {path.name}: {time.monotonic() - started:.1f} s", flush=True)
    if save_dir:
        save_dir.mkdir(parents=True, exist_ok=True)
        target = (save_dir / path.name).resolve()
        if target.parent == NOTEBOOKS:
            sys.exit("run_notebooks: --save-dir must not be the notebooks folder itself")
        nbformat.write(nb, target)
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="notebook names or paths (default: all, in name order)")
    parser.add_argument("--save-dir", type=Path, help="also write the executed notebooks to this folder")
    args = parser.parse_args()
    prepare_environment()
    paths = select(args.notebooks)
    if not paths:
        sys.exit(f"run_notebooks: no notebooks in {NOTEBOOKS}")
    started = time.monotonic()
    for path in paths:
        if not run(path, args.save_dir):
            sys.exit(1)
    print(f"all {len(paths)} notebooks ran in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    main()
