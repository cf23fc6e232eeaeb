"""The Adaptive Cards renderer check: a small Node project, its runner and sample cards."""
