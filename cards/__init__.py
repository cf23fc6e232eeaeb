"""Pure functions from read models to Adaptive Card JSON (Adaptive Cards 1.5)."""
