"""Find any lead by its CRM id, company or internal number (to raise a dispute on it)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from standup.store import Store

SEARCH_LIMIT = 20


class LeadMatch(BaseModel):
    """A lead a search found, with what the room needs to recognise it."""

    model_config = ConfigDict(frozen=True)

    lead_id: int
    external_id: str | None
    company: str | None
    stage: str
    owner: str | None
    campaign: str | None

    @property
    def crm_id(self) -> str:
        """The CRM's id, or the internal number marked as such."""
        return self.external_id or f"#{self.lead_id}"


def _like_escaped(text: str) -> str:
    # The typed text is matched literally: % and _ are not wildcards here.
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def find_leads(store: Store, text: str, limit: int = SEARCH_LIMIT) -> list[LeadMatch]:
    """Leads matching ``text`` (CRM id, company, or lead number), best matches first."""
    needle = text.strip()
    if not needle:
        return []
    escaped = _like_escaped(needle)
    params = {
        "text": needle,
        "contains": f"%{escaped}%",
        "starts": f"{escaped}%",
        "limit": limit,
    }
    rows = store.fetch("triage/find_leads", params)
    names = ("lead_id", "external_id", "company", "stage", "owner", "campaign")
    return [LeadMatch(**dict(zip(names, row, strict=True))) for row in rows]
