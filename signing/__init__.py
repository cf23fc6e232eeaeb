"""Ondertekenen, embedded: PAdES signatures with pyHanko, their check, and the rendering of
the decision document to PDF. Behind the ports of :mod:`approvals.signatures`; the same for
both backends (local and Microsoft 365), so it sits beside them, as ``word/`` does."""
