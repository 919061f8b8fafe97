"""Redaction for rooms with guests: contacts become initials, emails their company only.

Applied to values *before* they are rendered (never by hiding cells), so nothing that is
redacted can leak through a screen, a tooltip or a copy. Optional: deal amounts become
bands ("50k–100k") instead of exact figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Anything that looks like an address, wherever it appears (claims and notes are free text).
EMAIL = re.compile(r"[A-Za-z0-9._%+\-']+@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)")

# Upper bounds of the amount bands, in the data's currency.
BANDS: tuple[tuple[float, str], ...] = (
    (10_000, "<10k"),
    (50_000, "10k–50k"),
    (100_000, "50k–100k"),
    (250_000, "100k–250k"),
    (1_000_000, "250k–1M"),
)
TOP_BAND = "1M+"


def initials(name: str | None) -> str:
    """``"Dana Kowalski"`` → ``"D.K."``; empty stays empty. Particles and hyphens count once."""
    if not name or not name.strip():
        return ""
    parts = [part for part in re.split(r"[\s\-]+", name.strip()) if part]
    letters = [part[0].upper() + "." for part in parts if part[0].isalpha()]
    return "".join(letters) or "?"


def email_company(email: str | None) -> str:
    """``"dana@acme.io"`` → ``"@acme.io"``: who they work for, not who they are."""
    if not email:
        return ""
    match = EMAIL.search(email)
    return f"@{match.group(1).lower()}" if match else "(email hidden)"


def scrub_text(text: str | None, names: tuple[str, ...] = ()) -> str:
    """Free text with every email reduced to its domain and each of ``names`` to initials."""
    if not text:
        return ""
    out = EMAIL.sub(lambda m: f"@{m.group(1).lower()}", text)
    # Longest first, so "Dana Kowalski" is replaced before a bare "Dana" could be.
    for name in sorted({n for n in names if n and n.strip()}, key=len, reverse=True):
        out = re.sub(re.escape(name), initials(name), out, flags=re.IGNORECASE)
    return out


def amount_band(amount: float | None) -> str:
    """A deal amount as a band (``"50k–100k"``), for rooms that may not see exact figures."""
    if amount is None:
        return ""
    for upper, label in BANDS:
        if amount < upper:
            return label
    return TOP_BAND


@dataclass(frozen=True)
class Redactor:
    """The app-wide setting, applied to each value before it is drawn.

    ``Redactor()`` (both off) passes everything through unchanged, so callers can apply
    it unconditionally.
    """

    names: bool = False
    amounts: bool = False

    def contact(self, name: str | None) -> str:
        """A contact's name, or their initials."""
        if not self.names:
            return name or ""
        return initials(name)

    def email(self, email: str | None) -> str:
        """An email address, or only its company domain."""
        if not self.names:
            return email or ""
        return email_company(email)

    def text(self, text: str | None, names: tuple[str, ...] = ()) -> str:
        """Free text (claims, notes) with emails and the given names scrubbed."""
        if not self.names:
            return text or ""
        return scrub_text(text, names)

    def amount(self, amount: float | None, exact: str) -> str:
        """``exact`` (the caller's own formatting of ``amount``), or its band."""
        if not self.amounts:
            return exact
        return amount_band(amount)
