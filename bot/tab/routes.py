"""The tab API's operations: method, path, models, who may call it, and the handler."""

from __future__ import annotations

from typing import Any

from bot.tab import flows as f
from bot.tab import handlers as h
from bot.tab import models as m
from bot.tab import records as r
from bot.tab import starting as s
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
        Route("GET", "/departments", "listDepartments",
              "The departments the overview filters on (the initiators' departments)",
              h.departments, m.Departments),
        Route("POST", "/dossiers", "startDossier",
              "Start a dossier on a flow I may start (as the start card: same command, same "
              "refusals)", s.start, m.Started, body=m.StartRequest,
              errors=(401, 403, 409, 415, 422)),
        Route("GET", "/flows/startable", "listStartableFlows",
              "The published flows I may start, with the fields of their start form",
              s.startable, m.StartableFlows),
        Route("GET", "/dossiers/{id}", "getDossier",
              "A dossier: status, timeline, fields, documents, advice, decision, audit",
              h.dossier, m.Dossier, errors=(401, 404)),
        Route("GET", "/dossiers/{id}/signed", "getSignedPdf",
              "A signed PDF of the dossier as it is now (on the local backend the link the "
              "dossier page gives)", h.signed_pdf, m.Download, query=h.SignedQuery,
              errors=(401, 404, 422), files=(("application/pdf", None),)),
        Route("POST", "/dossiers/{id}/actions", "actOnDossier",
              "A task action, as on the card (same command, same refusals)", h.act,
              m.ActionResult, body=m.ActionRequest, errors=(401, 404, 409, 415, 422)),
        Route("GET", "/admin/unassigned", "listUnassigned",
              "Open dossiers in which nobody is to act (beheerders)", h.unassigned,
              m.DossierPage, query=h.PageQuery, access="beheerder", errors=(401, 403, 422)),
        Route("GET", "/decisions", "listDecisions",
              "The decision register: the decisions I may see, filtered and paged",
              r.decisions, m.RegisterPage, query=r.RegisterQueryParams, errors=(401, 422)),
        Route("GET", "/decisions/export", "exportDecisions",
              "The decision register as a CSV or JSON file (the same filters)", r.export,
              m.Download, query=r.ExportParams, errors=(401, 422),
              files=(("text/csv", None), ("application/json", m.RegisterExport))),
        Route("GET", "/admin/insight", "getInsight",
              "Lead times, overdue counts and the longest waits (beheerders)",
              r.insight_report, m.Insight, query=r.InsightParams, access="beheerder",
              errors=(401, 403, 422)),
        Route("GET", "/me/substitutes", "listMySubstitutes",
              "My substitutes and absence periods that have not ended", r.my_substitutes,
              m.Substitutes, errors=(401, 503)),
        Route("POST", "/me/substitutes", "setMySubstitute",
              "Name a substitute for a period (as on the command line)", r.set_my_substitute,
              m.Substitutes, body=m.SubstituteRequest, errors=(401, 409, 415, 422, 503)),
        Route("DELETE", "/me/substitutes", "clearMySubstitutes",
              "Clear my substitutes whose period has not ended", r.clear_my_substitutes,
              m.Substitutes, errors=(401, 503)),
        Route("GET", "/flows/choices", "listFlowChoices",
              "The flows and their stages, to filter by", r.flow_choices, m.FlowChoices),
        *flow_routes(),
    ]


def flow_routes() -> list[Route]:
    """Stromen: flows, their versions, the designer's checks and simulation (beheerders;
    the handlers live in bot/tab/flows.py)."""
    admin: dict[str, Any] = {"access": "beheerder"}
    return [
        Route("GET", "/admin/flows", "listFlows", "Every flow with its versions and status",
              f.flows, m.Flows, errors=(401, 403), **admin),
        Route("POST", "/admin/flows/validate", "validateFlow",
              "Check a draft (data or YAML): every problem with the path of its field",
              f.validate, m.FlowCheck, body=m.FlowDraft, errors=(401, 403, 413, 415, 422), **admin),
        Route("POST", "/admin/flows/simulate", "simulateFlow",
              "Run a dossier through a draft or a version on paper, stage by stage",
              f.simulate, m.Simulation, body=m.SimulationRequest,
              errors=(401, 403, 404, 413, 415, 422), **admin),
        Route("POST", "/admin/flows/publish", "publishFlow",
              "Publish a draft as its version (running dossiers keep theirs)",
              f.publish_draft, m.FlowVersion, body=m.FlowDraft,
              errors=(401, 403, 409, 413, 415, 422), **admin),
        Route("POST", "/admin/flows/import", "importFlow",
              "Store a flow file as a concept version", f.import_flow, m.FlowVersion,
              body=m.FlowText, errors=(401, 403, 409, 413, 415, 422), **admin),
        Route("GET", "/admin/directory", "searchDirectory",
              "People, groups and roles a stage's assignees may name", f.directory,
              m.DirectoryEntries, query=f.DirectoryQuery, errors=(401, 403, 422), **admin),
        Route("GET", "/admin/flows/{id}", "getFlowVersion",
              "A version (default: the current one) as YAML and as data", f.flow,
              m.FlowVersionDetail, query=f.VersionQuery, errors=(401, 403, 404, 422), **admin),
        Route("GET", "/admin/flows/{id}/export", "exportFlow",
              "A version's YAML file (default: the current one)", f.export, m.FlowExport,
              query=f.VersionQuery, errors=(401, 403, 404, 422), **admin),
        Route("POST", "/admin/flows/{id}/move", "moveDossiers",
              "Move chosen running dossiers to another version, where their progress fits",
              f.move, m.BulkResults, body=m.MoveRequest,
              errors=(401, 403, 404, 413, 415, 422),
              **admin),
        Route("POST", "/admin/flows/{id}/withdraw", "withdrawFlow",
              "Withdraw a published version: no new dossier starts on it", f.withdraw,
              m.FlowVersion, body=m.FlowVersionRef, errors=(401, 403, 404, 409, 415, 422),
              **admin),
    ]
