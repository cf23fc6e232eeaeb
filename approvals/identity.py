"""People as the domain sees them: an Entra ID identity plus a display name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Person:
    """A user known to the directory: Entra object id, tenant, UPN and display name."""

    oid: str
    upn: str
    name: str
    tenant: str = ""

    def to_json(self) -> dict[str, str]:
        return {"oid": self.oid, "upn": self.upn, "name": self.name, "tenant": self.tenant}

    @classmethod
    def from_json(cls, data: Any) -> Person:
        return cls(
            oid=str(data["oid"]),
            upn=str(data["upn"]),
            name=str(data["name"]),
            tenant=str(data.get("tenant", "")),
        )


SYSTEM = Person(oid="00000000-0000-0000-0000-000000000000", upn="system", name="paraaf")
"""The actor of events the product records by itself (deadline reminders, escalations)."""
