"""Texts of the contact-centre digest page (kcc.html, rendered by reports/render.py)."""

from __future__ import annotations

import tomllib
from pathlib import Path

MESSAGES = Path(__file__).resolve().parent / "messages" / "kcc.toml"


def texts(lang: str) -> dict:
    """The digest's texts in one language."""
    with open(MESSAGES, "rb") as file:
        return tomllib.load(file)[lang]
