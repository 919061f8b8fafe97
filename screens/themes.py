"""The projector theme presenter mode switches to (Textual ships no high-contrast one).

Pure black and white with saturated, distinct accents: a washed-out 1280×720 projector
in a lit room loses mid-tones first, so nothing that matters is drawn in them.
"""

from __future__ import annotations

from textual.theme import Theme

PROJECTOR = Theme(
    name="standup-projector",
    primary="#FFD400",  # yellow: titles and focus, readable on black at any brightness
    secondary="#00C8FF",
    accent="#00C8FF",
    warning="#FFA500",  # amber: near a limit
    error="#FF3B30",  # red: over a limit
    success="#3DDC84",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    boost="#262626",
    dark=True,
    luminosity_spread=0.1,
    text_alpha=1.0,
    variables={
        "footer-key-foreground": "#FFD400",
        "block-cursor-background": "#FFD400",
        "block-cursor-foreground": "#000000",
        "border": "#FFFFFF",
    },
)
