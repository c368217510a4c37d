"""B0: time from `make run` to the first page served, warm and cold.

Warm: in this checkout, with the virtual environment and database already
there. Cold: in a fresh clone in a temporary folder, installing everything.
Usage: python bench/bench_startup.py [--cold]
"""

import argparse
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from _common import ROOT, append_row

URL = "http://127.0.0.1:8000/"


def _wait_for_page(deadline: float) -> bool:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(URL, timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.2)
    return False


def measure(folder: Path, timeout: float) -> float | None:
    """Run `make run` in `folder` and return seconds until / answers."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    started = time.monotonic()
    process = subprocess.Popen(
        ["make", "run"],
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        served = _wait_for_page(started + timeout)
        return time.monotonic() - started if served else None
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cold", action="store_true")
    args = parser.parse_args()
    if args.cold:
        folder = Path(tempfile.mkdtemp(prefix="erp-cold-"))
        subprocess.run(["git", "clone", "-q", str(ROOT), str(folder)], check=True)
        seconds = measure(folder, timeout=900)
        subprocess.run(
            [str(folder / ".venv/bin/python"), "manage.py", "embedded_db", "stop"],
            cwd=folder,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)
        workload, target, met = "make run, fresh clone", "recorded", seconds is not None
    else:
        seconds = measure(ROOT, timeout=120)
        workload = "make run, warm checkout"
        target, met = "<= 10 s", seconds is not None and seconds <= 10
    figure = f"{seconds:.1f} s" if seconds is not None else "not served"
    print(f"B0 {workload}: {figure}")
    print(append_row("B0", workload, figure, "-", "-", target, met), end="")


if __name__ == "__main__":
    main()
