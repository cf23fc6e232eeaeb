"""Pure functions from read models to Adaptive Card JSON (Adaptive Cards 1.5, Universal
Actions), with Dutch and English strings.
"""

from approvals.turns import viewer_task
from cards.elements import MAX_REFRESH_USERS, SIZE_BUDGET, Json, card_size
from cards.lists import tasks_card
from cards.messages import (
    demo_persona_card,
    error_card,
    help_card,
    hint_card,
    unknown_user_card,
)
from cards.refusals import refusal_text
from cards.start import start_card, start_form_card
from cards.strings import Strings, lang_for, strings
from cards.substitutes import four_eyes_text, substitute_card
from cards.task import status_card, task_card

__all__ = [
    "MAX_REFRESH_USERS",
    "SIZE_BUDGET",
    "Json",
    "Strings",
    "card_size",
    "demo_persona_card",
    "error_card",
    "four_eyes_text",
    "help_card",
    "hint_card",
    "lang_for",
    "refusal_text",
    "start_card",
    "start_form_card",
    "status_card",
    "strings",
    "substitute_card",
    "task_card",
    "tasks_card",
    "unknown_user_card",
    "viewer_task",
]
