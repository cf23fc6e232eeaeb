"""A local, Graph-shaped test server for the SharePoint, drive and directory endpoints we use.

See README.md in this folder for what is implemented, the fault API and every deviation.
"""

from tests.support.graph_server.faults import FaultRule, Faults
from tests.support.graph_server.server import GraphServer
from tests.support.graph_server.stats import Stats

__all__ = ["FaultRule", "Faults", "GraphServer", "Stats"]
