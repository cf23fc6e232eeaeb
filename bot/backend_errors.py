"""Recognising failures of the Microsoft 365 backend and its SDKs (unreachable, throttled
past the SDK's own retries, denied): the user is told to try again, not shown a trace."""

from __future__ import annotations

BACKEND_MODULES = ("graph.", "azure.core", "azure.identity", "httpx", "kiota", "msgraph")


def is_backend_error(error: BaseException) -> bool:
    """An error raised by the backend adapters or the SDKs they use."""
    return type(error).__module__.startswith(BACKEND_MODULES)
