"""The writers' benchmark on a disk whose every fsync is slow (issue #18).

``python -m benchmarks.slow_disk [TOTAL] [MS]`` compiles ``benchmarks/slow_fsync.c`` (a C
compiler is needed; without one it says so and stops) and runs ``benchmarks.bench_store TOTAL``
in a child process with it preloaded: every ``fsync``/``fdatasync`` of SQLite, the COMMITs and
the checkpoints, sleeps MS milliseconds (16 by default) before the real one. Raw and domain
pay the same. ``DATALEK_BENCH_FSYNC_DELAY`` (``bench_store``) is the older emulation: a sleep
before each COMMIT only, which leaves the checkpoint's own fsyncs free.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "slow_fsync.c"


def shim(folder: Path) -> Path | None:
    """The compiled shim in ``folder``; None without a C compiler."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        return None
    target = folder / "slow_fsync.so"
    subprocess.run([compiler, "-shared", "-fPIC", "-O2", "-o", str(target), str(SOURCE), "-ldl"], check=True)
    return target


def run(total: int = 640, ms: int = 16) -> str:
    """``bench_store``'s table with every fsync ``ms`` slower, or why it was not measured."""
    with tempfile.TemporaryDirectory(prefix="datalek-slow-disk-") as folder:
        library = shim(Path(folder))
        if library is None:
            return "Not measured: no C compiler (cc) to build benchmarks/slow_fsync.c."
        env = {
            **os.environ,
            "LD_PRELOAD": str(library),
            "SLOW_FSYNC_MS": str(ms),
            "PYTHONPATH": str(HERE.parent),
        }
        env.pop("DATALEK_BENCH_FSYNC_DELAY", None)
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_store", str(total)],
            cwd=HERE.parent,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    return "\n".join(line for line in done.stdout.splitlines() if line.startswith("|"))


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    print(run(*args))
