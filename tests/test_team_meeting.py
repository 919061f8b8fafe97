"""A standup on the team database: the KPI snapshot and the meeting are recorded there
(``start_meeting`` / ``record_snapshot``), with the same figures the file gives."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from standup import kpis
from standup.config import Config
from standup.meeting import find_meeting, segments, start_meeting
from standup.store import Connection, Store
from standup.team.pgstore import PgStore
from tests.conftest import AS_OF


def test_a_meeting_and_a_snapshot_are_recorded_on_the_team_database(
    demo_store: Store, pg_demo_url: str
) -> None:
    # pg_demo_url holds the same demo file, pushed: the figures must agree with it.
    team, config = PgStore(pg_demo_url), Config()
    on_file = demo_store.fetch_with(lambda conn: kpis.current_kpis(conn, AS_OF, config))

    meeting = start_meeting(team, AS_OF, config, config.agenda, label="Monday")
    later = AS_OF + timedelta(minutes=5)
    snapshot_id = kpis.record_snapshot(team, later, config, label="after")

    def read(conn: Connection) -> tuple[Any, ...]:
        return (
            find_meeting(conn, "last", later),
            segments(conn, meeting.meeting_id),
            kpis.latest_snapshot_before(conn, later - timedelta(seconds=1)),
            kpis.latest_snapshot_before(conn, later),
        )

    with team.reading() as conn:  # how the minutes and the presenter read it
        found, planned, first, second = read(conn)
    assert found.meeting_id == meeting.meeting_id and found.label == "Monday"
    assert [s.name for s in planned] == [s.name for s in config.agenda]
    assert first is not None and first.standup_id == meeting.standup_id
    assert first.kpis == on_file
    assert second is not None and second.standup_id == snapshot_id
    assert second.kpis == on_file  # nothing changed in between
