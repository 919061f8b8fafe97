"""Regenerate docs/screenshot.svg: the dashboard on the seeded demo, as of a fixed time."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import datetime
from pathlib import Path

from screens.app import StandupApp
from standup.clock import Clock
from standup.demo import generate

AS_OF = datetime(2026, 11, 23, 9, 0)


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = generate(Path(tmp) / "demo.duckdb", now=AS_OF)
        app = StandupApp(store=store, clock=Clock(AS_OF))
        async with app.run_test(size=(160, 45)) as pilot:
            await pilot.pause(3)
            app.save_screenshot("screenshot.svg", path=str(Path(__file__).parent))


if __name__ == "__main__":
    asyncio.run(main())
