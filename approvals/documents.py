"""The rules for dossier documents that every DocumentStore applies.

Names must be safe as a file name anywhere: no characters SharePoint refuses, no control
characters, no leading dot or space, at most 200 characters and 240 UTF-8 bytes. A document is
at most 50 MB. Dossier ids are letters, digits, - and _. A grant only adds access; taking it away is
``set_access`` (see :mod:`approvals.access`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from approvals.errors import InvalidInput
from approvals.identity import Person

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
MAX_NAME = 200
MAX_NAME_BYTES = 240  # file systems allow 255 bytes; room for '.<version>'
DOSSIER_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")
# Characters SharePoint refuses in file names, plus both path separators.
FORBIDDEN = frozenset('/\\:*?"<>|')


def check_dossier_id(dossier_id: str) -> str:
    """The dossier id itself, or InvalidInput for one that is unsafe as a folder name."""
    if not isinstance(dossier_id, str) or not DOSSIER_ID.fullmatch(dossier_id):
        raise InvalidInput(refusal="dossier_id_invalid", dossier=str(dossier_id)[:100])
    return dossier_id


def check_document_name(name: str) -> str:
    """The name itself, or InvalidInput for one that is unsafe as a file name anywhere."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput(refusal="document_name_missing")
    if len(name) > MAX_NAME or len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise InvalidInput(refusal="document_name_too_long", length=len(name), limit=MAX_NAME)
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise InvalidInput(refusal="document_name_control")
    bad = sorted(set(name) & FORBIDDEN)
    if bad:
        raise InvalidInput(refusal="document_name_forbidden", chars=" ".join(bad))
    if name.startswith(".") or name.endswith((".", " ")) or name != name.strip():
        raise InvalidInput(refusal="document_name_edges", name=name)
    return name


def check_size(name: str, content: bytes) -> None:
    """InvalidInput when ``content`` is larger than MAX_DOCUMENT_BYTES."""
    if len(content) > MAX_DOCUMENT_BYTES:
        raise InvalidInput(refusal="document_too_large", name=name, size=len(content),
                           limit=MAX_DOCUMENT_BYTES // (1024 * 1024))


def merge_access(current: dict[str, str], people: Sequence[Person], write: bool) -> dict[str, str]:
    """Access after a grant: write upgrades read, nothing downgrades."""
    merged = dict(current)
    for person in people:
        if write or merged.get(person.oid) != "write":
            merged[person.oid] = "write" if write else "read"
    return merged
