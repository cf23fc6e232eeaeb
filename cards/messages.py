"""Short cards: help, an unknown user, an error."""

from __future__ import annotations

from cards.elements import Json, adaptive_card, banner, execute, facts, header, heading, text
from cards.format import user_text
from cards.strings import strings


def help_card(lang: str) -> Json:
    """What the bot does and the chat commands; buttons for my tasks and a new dossier."""
    s = strings(lang)
    body = [
        header(s.help_title),
        text(s.help_intro),
        heading(s.help_commands),
        facts([
            (s.cmd_help, s.cmd_help_text),
            (s.cmd_tasks, s.cmd_tasks_text),
            (s.cmd_start, s.cmd_start_text),
            (s.cmd_status, s.cmd_status_text),
            (s.cmd_substitute, s.cmd_substitute_text),
        ]),
    ]
    actions = [
        execute(s.help_my_tasks, "my_tasks", {}),
        execute(s.help_new_dossier, "new_dossier", {}),
    ]
    return adaptive_card(body, actions, s=s)


def unknown_user_card(lang: str) -> Json:
    """For someone the directory does not know."""
    s = strings(lang)
    return adaptive_card([header(s.unknown_user_title), text(s.unknown_user_text)], s=s)


def error_card(message: str, lang: str) -> Json:
    """A message the bot has to give instead of a card (the text is shown as given)."""
    s = strings(lang)
    body = [header(s.error_title), banner(user_text(message, 2000), "attention")]
    return adaptive_card(body, s=s)


def hint_card(title: str, message: str, lang: str) -> Json:
    """A usage hint: how to ask for something (not an error: nothing went wrong)."""
    s = strings(lang)
    body = [header(user_text(title, 200)), banner(user_text(message, 2000), "accent")]
    return adaptive_card(body, s=s)


def demo_persona_card(name: str | None, lang: str) -> Json:
    """Local demo only: whose part the demo user now plays (None: their own again)."""
    s = strings(lang)
    line = s.demo_persona_on.format(name=user_text(name, 200)) if name else s.demo_persona_off
    body = [header(s.demo_persona_title), text(line), text(s.demo_persona_hint, subtle=True)]
    actions = [execute(s.help_my_tasks, "my_tasks", {})]
    return adaptive_card(body, actions, s=s)
