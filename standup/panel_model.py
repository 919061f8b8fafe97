"""The base of every panel's result: a frozen pydantic model (a refresh's data never
changes after the query that built it)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class PanelModel(BaseModel):
    """Frozen: panel results are values, shared between the worker thread and the UI."""

    model_config = ConfigDict(frozen=True)
