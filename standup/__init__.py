"""standup: the joint sales + marketing standup, backed by one DuckDB file.

This package is the core. It never imports Textual (a test enforces it): the UI in
``screens/`` calls into it, and it hands back plain values.
"""

__version__ = "0.1.0"
