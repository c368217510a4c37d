"""Helpers shared by the benchmark scripts: result rows in docs/benchmarks.md."""

import datetime
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "docs" / "benchmarks.md"
HEADER = (
    "| id | date | commit | workload | figure | yardstick | ratio | target | met |\n"
    "|---|---|---|---|---|---|---|---|---|\n"
)


def commit() -> str:
    """Return the short hash of the checked-out commit."""
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or "unknown"


def append_row(bench_id, workload, figure, yardstick, ratio, target, met) -> str:
    """Append one result row to docs/benchmarks.md and return it."""
    if not RESULTS.exists():
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text("# Benchmark results\n\nNewest last.\n\n" + HEADER)
    row = (
        f"| {bench_id} | {datetime.date.today().isoformat()} | {commit()} | "
        f"{workload} | {figure} | {yardstick} | {ratio} | {target} | "
        f"{'yes' if met else 'no'} |\n"
    )
    with RESULTS.open("a") as handle:
        handle.write(row)
    return row
