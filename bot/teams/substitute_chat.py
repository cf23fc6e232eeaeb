"""The chat command ``vervanger`` (``substitute``): name, show or end a standing substitute.

``vervanger j.visser 2026-12-01 2026-12-14 vakantie`` names a substitute for yourself;
``vervanger`` shows yours, ``vervanger stop`` ends it; a beheerder types ``vervanger voor
h.vandijk j.visser 2026-12-01 2026-12-14 ziekte`` for someone else (and is recorded as the
one who set it). People can be named by e-mail address, or by the part before the ``@``.
"""

from __future__ import annotations

from datetime import date

import cards
from approvals import substitute_commands as sc
from approvals.errors import DomainError, InvalidInput
from approvals.identity import Person
from approvals.substitutes import parse_day
from bot.teams.context import BotContext
from bot.teams.gateway import Card

STOP = {"stop", "uit", "wissen", "einde", "clear", "off", "end"}
FOR = {"voor", "for"}


class _Unknown(Exception):
    def __init__(self, who: str) -> None:
        super().__init__(who)
        self.who = who


async def _person(ctx: BotContext, who: str, actor: Person) -> Person:
    directory = ctx.services.directory
    found = await directory.user(who)
    if found is None and "@" not in who and "@" in actor.upn:
        found = await directory.user(f"{who}@{actor.upn.split('@', 1)[1]}")
    if found is None:
        raise _Unknown(who[:100])
    return found


async def substitute_command(ctx: BotContext, actor: Person, lang: str, argument: str) -> Card:
    """The answer to ``vervanger ...``: the card with the periods, a notice or the error."""
    s = cards.strings(lang)
    words = argument.split()
    try:
        if not words:
            return cards.substitute_card(await sc.current_substitutes(ctx.services, actor), lang)
        if len(words) == 1 and words[0].lower() in STOP:
            removed = await sc.clear_substitutes(ctx.services, actor=actor, person=actor)
            notice = (s.substitute_cleared.format(count=len(removed)) if removed
                      else s.substitute_nothing_to_clear)
            return cards.substitute_card([], lang, notice=notice)
        subject = actor
        if words[0].lower() in FOR and len(words) > 1:
            subject = await _person(ctx, words[1], actor)
            words = words[2:]
        if len(words) < 4:
            return cards.substitute_card([], lang, error=s.substitute_usage)
        substitute = await _person(ctx, words[0], actor)
        start, end = _day(words[1], s), _day(words[2], s)
        absence = await sc.set_substitute(
            ctx.services, actor=actor, person=subject, substitute=substitute, start=start,
            end=end, reason=" ".join(words[3:]))
    except _Unknown as unknown:
        return cards.substitute_card([], lang, error=s.substitute_unknown.format(who=unknown.who))
    except DomainError as error:  # why, in the user's language
        return cards.substitute_card([], lang, error=cards.refusal_text(error, lang))
    return cards.substitute_card([absence], lang, notice=s.substitute_title)


def _day(value: str, s: cards.Strings) -> date:
    try:
        return parse_day(value, "date")
    except InvalidInput:
        raise InvalidInput(s.substitute_bad_date.format(value=value[:40])) from None
