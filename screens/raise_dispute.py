"""Raise a dispute from anywhere: on a lead already known, or on one found by search.

The modals (and the triage core behind them) load only when one is opened, so the
dashboard, which offers both, does not pull them in at launch.
"""

from __future__ import annotations

from textual.dom import DOMNode

from screens.session import refuse_write


def raise_dispute(node: DOMNode, lead_id: int, label: str | None = None) -> None:
    """Ask for side, reason and claim, and open a dispute on ``lead_id``.

    ``label`` names the lead in the modal's title (its CRM id and company).
    """
    from screens.open_dispute import OpenDisputeModal

    if not refuse_write(node, "Opening a dispute"):
        node.app.push_screen(OpenDisputeModal(lead_id, label))


def find_lead_to_dispute(node: DOMNode) -> None:
    """Search any lead by CRM id or company, then raise a dispute on the one picked."""
    from screens.lead_search import LeadSearchModal

    if refuse_write(node, "Opening a dispute"):
        return
    modal = LeadSearchModal()

    def picked(lead_id: int | None) -> None:
        if lead_id is not None:
            match = modal.picked  # names the lead in the next modal: CRM id, company
            label = " ".join(p for p in (match.crm_id, match.company) if p) if match else None
            raise_dispute(node, lead_id, label)

    node.app.push_screen(modal, picked)
