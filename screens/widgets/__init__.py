"""Widgets shared between screens: panels, tiles, tables."""
