"""The Microsoft 365 Agents Playground as paraaf's local Teams client stand-in.

``config`` builds its configuration from our demo directory, ``runtime`` installs and launches
it, and ``python -m playground`` starts it for the local demo.
"""
