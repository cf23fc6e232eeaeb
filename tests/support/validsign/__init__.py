"""A ValidSign stand-in for tests: see :mod:`tests.support.validsign.server`."""

from tests.support.validsign.server import ValidSignStandIn, running_validsign

__all__ = ["ValidSignStandIn", "running_validsign"]
