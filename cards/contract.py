"""The card data contract: what a card sends and the bot reads back.

The verbs of the actions, the ids of the inputs, their limits and the patterns, in one place:
the card builders (cards/) render them and bot/teams/card_input.py checks what comes back
against them. Pure data, no I/O.
"""

from __future__ import annotations

from typing import Final

from approvals.limits import MAX_FIELD_TEXT, MAX_REASON, MAX_TEXT, MAX_TITLE

# --- patterns -------------------------------------------------------------------------------

ID_PATTERN: Final = r"^[A-Za-z0-9_-]{1,64}$"
"""A dossier, stage or flow id as the cards carry it."""
EMAIL_PATTERN: Final = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
"""What an e-mail input asks of the user while they type (the card's own check)."""
EMAIL_ACCEPTED: Final = r"^[^@\s]{1,200}@[^@\s]{1,200}$"
"""What the bot accepts as an e-mail address from card data (the directory decides the rest)."""
LINK_SCHEMES: Final = ("https://", "http://")

# --- the data every task action carries -----------------------------------------------------

DOSSIER_ID: Final = "dossier_id"
STAGE_ID: Final = "stage_id"
ROUND: Final = "round"
VERSION: Final = "version"
ON_BEHALF_OF: Final = "on_behalf_of"
VERB: Final = "verb"  # added by the fallback Action.Submit
CONTEXT_KEYS: Final = frozenset({DOSSIER_ID, STAGE_ID, ROUND, VERSION, ON_BEHALF_OF, VERB})
MAX_OBJECT_ID: Final = 64  # on_behalf_of: an Entra object id

# --- task verbs and inputs ------------------------------------------------------------------

ADVISE: Final = "advise"
INITIAL: Final = "initial"
APPROVE: Final = "approve"
DECIDE: Final = "decide"
SIGN: Final = "sign"
ACKNOWLEDGE: Final = "acknowledge"
RETURN: Final = "return"
REJECT: Final = "reject"
COMMENT_VERB: Final = "comment"
DELEGATE: Final = "delegate"
TASK_VERBS: Final = frozenset({ADVISE, INITIAL, APPROVE, DECIDE, SIGN, ACKNOWLEDGE, RETURN,
                               REJECT, COMMENT_VERB, DELEGATE})

ADVICE: Final = "advice"
TEXT: Final = "text"
RETURN_TO: Final = "return_to"
RETURN_REASON: Final = "return_reason"
REJECT_REASON: Final = "reject_reason"
COMMENT: Final = "comment"
DELEGATE_TO: Final = "delegate_to"
DELEGATE_REASON: Final = "delegate_reason"
# Every input a task card has; a form posts all of them, whichever button was pressed.
TASK_INPUTS: Final = frozenset({ADVICE, TEXT, RETURN_TO, RETURN_REASON, REJECT_REASON, COMMENT,
                                DELEGATE_TO, DELEGATE_REASON})
ADVICE_CHOICES: Final = ("positief", "negatief", "neutraal")

MAX_EMAIL: Final = 254
TASK_LIMITS: Final[dict[str, int]] = {
    TEXT: MAX_TEXT, RETURN_REASON: MAX_REASON, REJECT_REASON: MAX_REASON, COMMENT: MAX_TEXT,
    DELEGATE_REASON: MAX_REASON, DELEGATE_TO: MAX_EMAIL, RETURN_TO: 64, ADVICE: 16,
}
"""The longest value the bot accepts for each task input."""
REQUIRED: Final[dict[str, tuple[str, ...]]] = {
    DECIDE: (TEXT,),
    RETURN: (RETURN_REASON,),
    REJECT: (REJECT_REASON,),
    COMMENT_VERB: (COMMENT,),
    DELEGATE: (DELEGATE_REASON,),
}
"""The inputs a verb cannot do without (besides the choices checked by their pattern)."""

# --- verbs that change nothing: they show a card ----------------------------------------------

REFRESH: Final = "refresh"  # the card's refresh and its "bijwerken" button
OPEN: Final = "open"
MY_TASKS: Final = "my_tasks"
NEW_DOSSIER: Final = "new_dossier"

# --- starting a dossier ---------------------------------------------------------------------

START_FORM: Final = "start_form"  # the flow is chosen: show its form
START: Final = "start"  # the form is filled in: start the dossier
FLOW_ID: Final = "flow_id"
FLOW_VERSION: Final = "flow_version"
TITLE: Final = "title"
DOCUMENTS: Final = "documents"
FIELD_PREFIX: Final = "field."
"""Input ids of the start form: ``title``, ``documents`` and ``field.<name>`` per flow field;
its action's data adds ``flow_id`` and ``flow_version``."""
VIEW_VERBS: Final = frozenset({REFRESH, OPEN, MY_TASKS, NEW_DOSSIER, START_FORM})
START_KEYS: Final = frozenset({FLOW_ID, FLOW_VERSION, TITLE, DOCUMENTS, VERB})
MAX_FIELD_INPUT: Final = MAX_FIELD_TEXT  # any field; the engine holds each to its own rule
MAX_DOCUMENTS_TEXT: Final = MAX_TEXT
MAX_LINK: Final = 1000
MAX_LINKS: Final = 20
START_LIMITS: Final[dict[str, int]] = {TITLE: MAX_TITLE, DOCUMENTS: MAX_DOCUMENTS_TEXT}

# The inputs a card shows with several lines; every other text input is one line.
MULTI_LINE: Final = frozenset({TEXT, COMMENT, RETURN_REASON, REJECT_REASON, DELEGATE_REASON,
                               DOCUMENTS})


def field_key(name: str) -> str:
    """The input id of a flow field on the start form."""
    return FIELD_PREFIX + name
