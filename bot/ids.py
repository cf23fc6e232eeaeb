"""Identifiers people can read and type: dossier ids like ``2026-K7Q3M2XA``."""

from __future__ import annotations

import secrets

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U


def new_dossier_id(year: int) -> str:
    """The year and eight random base32 characters (40 bits; a clash is retried by start)."""
    return f"{year}-" + "".join(secrets.choice(_ALPHABET) for _ in range(8))
