"""``make bench``: benchmarks (not part of the test run; a smoke test keeps them working)."""
