"""The tab API's operations: method, path, models, who may call it, and the handler."""

from __future__ import annotations

from bot.tab import handlers as h
from bot.tab import models as m
from bot.tab.core import Route


def routes() -> list[Route]:
    """The API's operations (the handlers live in bot/tab/handlers.py)."""
    return [
        Route("GET", "/me", "getMe", "Who I am", h.me, m.Me),
        Route("GET", "/local/users", "listLocalUsers",
              "The demo users to choose from (local mode only; 404 otherwise)",
              h.local_users, m.LocalUsers, access="local", errors=(404,)),
        Route("GET", "/tasks", "listTasks", "My werkvoorraad, most urgent first", h.tasks,
              m.Tasks),
        Route("POST", "/tasks/bulk", "bulkAction",
              "The same stage action on several tasks, each its own command", h.bulk,
              m.BulkResults, body=m.BulkRequest, errors=(401, 415, 422)),
        Route("GET", "/dossiers", "listDossiers", "The dossiers I may see, filtered and paged",
              h.dossiers, m.DossierPage, query=h.DossierQuery, errors=(401, 422)),
        Route("GET", "/dossiers/{id}", "getDossier",
              "A dossier: status, timeline, fields, documents, advice, decision, audit",
              h.dossier, m.Dossier, errors=(401, 404)),
        Route("POST", "/dossiers/{id}/actions", "actOnDossier",
              "A task action, as on the card (same command, same refusals)", h.act,
              m.ActionResult, body=m.ActionRequest, errors=(401, 404, 409, 415, 422)),
        Route("GET", "/admin/unassigned", "listUnassigned",
              "Open dossiers in which nobody is to act (beheerders)", h.unassigned,
              m.DossierPage, query=h.PageQuery, access="beheerder", errors=(401, 403, 422)),
    ]
