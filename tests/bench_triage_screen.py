"""Benchmark (not a test): key press → pending, committed and shown, through the real
triage screen. Moved to ``tests/bench/bench_triage_screen.py`` (``make bench`` runs it
through ``tests.bench.probe triage``); this path still works:

    python tests/bench_triage_screen.py /tmp/b1m.duckdb [--n 40] [--pause 0.6]
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script
    from tests.bench.bench_triage_screen import main

    main()
