"""The embedded default adapters: SQLite store, documents folder, YAML directory."""
