"""Every text on every card meets WCAG 2.1 AA contrast in Teams' three themes.

The colours of light and dark are those of Teams' published host configs, kept in
tests/cards_render/microsoft-teams-*.json: the foreground colour of each text colour and
``isSubtle`` per container style, and each style's background. A text's colour is resolved
the way the renderer does (the nearest container style, a ShowCard in the host's show-card
style), blended over its background when it has an alpha channel, and its contrast ratio
must be at least 4.5:1 (3:1 for large text: 24 px, or 18.66 px bold).

Microsoft publishes no host config for Teams' high-contrast theme. Its colours are derived
from Fluent UI's ``teamsHighContrastTheme`` (the tokens Teams' own interface uses there) by
tests/cards_render/teams_high_contrast.js into microsoft-teams-high-contrast.json, and a test
checks that the kept file is what the script derives from the installed tokens. In that theme
every text colour is white on black; paraaf's cards carry no images, so nothing on them depends
on a colour the theme takes away.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cards_render import node
from tests.cards_render.samples import build_corpus

CONFIGS = Path(__file__).parents[1] / "cards_render"
THEMES = ("microsoft-teams-light", "microsoft-teams-dark", "microsoft-teams-high-contrast")
SIZES = {"small": 12, "default": 14, "medium": 14, "large": 18, "extralarge": 24}
NORMAL, LARGE = 4.5, 3.0


def host_config(theme: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CONFIGS / f"{theme}.json").read_text("utf-8"))
    return data


def rgba(value: str) -> tuple[float, float, float, float]:
    """'#RRGGBB' or '#AARRGGBB' (the host config's order) as 0..1 channels."""
    digits = value.lstrip("#")
    alpha = int(digits[:2], 16) / 255 if len(digits) == 8 else 1.0
    rgb = digits[-6:]
    r, g, b = (int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b, alpha


def blend(fore: str, back: str) -> tuple[float, float, float]:
    fr, fg, fb, alpha = rgba(fore)
    br, bg, bb, _ = rgba(back)
    return (fr * alpha + br * (1 - alpha), fg * alpha + bg * (1 - alpha),
            fb * alpha + bb * (1 - alpha))


def luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fore: str, back: str) -> float:
    """The WCAG 2.1 contrast ratio of a (possibly translucent) colour on a background."""
    lighter, darker = sorted((luminance(blend(fore, back)), luminance(blend(back, back))),
                             reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def texts(element: Any, style: str, show_style: str,
          path: str = "") -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, container style, text element) for every TextBlock and fact of a card."""
    if isinstance(element, list):
        for n, item in enumerate(element):
            yield from texts(item, style, show_style, f"{path}[{n}]")
        return
    if not isinstance(element, dict):
        return
    kind = element.get("type")
    if kind in ("Container", "Column", "ColumnSet") and element.get("style"):
        style = str(element["style"]).lower()
    if kind == "TextBlock":
        yield path, style, element
    if kind == "FactSet":
        for n, fact in enumerate(element.get("facts", [])):
            yield f"{path}.facts[{n}].title", style, {"text": fact["title"], "weight": "Bolder"}
            yield f"{path}.facts[{n}].value", style, {"text": fact["value"]}
    if kind == "Action.ShowCard":
        yield from texts(element.get("card", {}), show_style, show_style, f"{path}.card")
        return
    for key in ("body", "items", "columns", "actions", "inlineAction"):
        if key in element:
            yield from texts(element[key], style, show_style, f"{path}.{key}")


def problems(card: dict[str, Any], config: dict[str, Any]) -> list[str]:
    styles = config["containerStyles"]
    show_style = config["actions"]["showCard"]["style"]
    found = []
    for path, style, block in texts(card, "default", show_style):
        container = styles[style]
        color = str(block.get("color") or "default").lower()
        shade = "subtle" if block.get("isSubtle") else "default"
        fore = container["foregroundColors"][color][shade]
        size = SIZES[str(block.get("size") or "default").lower()]
        bold = str(block.get("weight") or "").lower() == "bolder"
        large = size >= 24 or (bold and size >= 18.66)
        ratio = contrast(fore, container["backgroundColor"])
        if ratio < (LARGE if large else NORMAL):
            found.append(f"{path}: {color}{' subtle' if shade == 'subtle' else ''} on {style} "
                         f"{ratio:.2f}:1 ({str(block['text'])[:40]!r})")
    return found


CORPUS = build_corpus()


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_text_meets_wcag_aa_contrast_in_teams_themes(name: str, theme: str) -> None:
    assert problems(CORPUS[name], host_config(theme)) == []


def test_contrast_ratio_matches_wcag_examples() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    # a translucent colour (#AARRGGBB) counts as blended over its background
    assert contrast("#80000000", "#ffffff") == pytest.approx(contrast("#7f7f7f", "#ffffff"),
                                                             abs=0.02)


@pytest.mark.parametrize("theme", THEMES[:2])  # high contrast: all white on black
def test_the_check_catches_coloured_text_that_teams_shows_too_faintly(theme: str) -> None:
    """Yellow on the grey header and light green on white are what the check is for."""
    card = {"type": "AdaptiveCard", "body": [
        {"type": "Container", "style": "emphasis",
         "items": [{"type": "TextBlock", "text": "x", "color": "Warning"}]},
        {"type": "TextBlock", "text": "y", "color": "Good"},
        {"type": "TextBlock", "text": "z", "color": "Attention"},
    ]}
    found = problems(card, host_config(theme))
    assert found, theme
    if theme.endswith("light"):
        assert any("warning on emphasis" in p for p in found)
        assert any("good on default" in p for p in found)


def test_the_high_contrast_host_config_is_derived_from_fluents_teams_theme() -> None:
    """The kept high-contrast host config is what the script makes of Fluent UI's tokens."""
    reason = node.missing_tool()
    if reason is not None:
        pytest.skip(reason)
    node.install()
    assert node.high_contrast_host_config() == host_config("microsoft-teams-high-contrast")


def test_cards_never_show_an_image_that_high_contrast_would_hide() -> None:
    """No card of paraaf carries an image or a background image: in the high-contrast theme
    (and for screen readers) everything a card says is text."""
    def kinds(element: Any) -> Iterator[str]:
        if isinstance(element, list):
            for item in element:
                yield from kinds(item)
        elif isinstance(element, dict):
            yield str(element.get("type", ""))
            if "backgroundImage" in element:
                yield "backgroundImage"
            for value in element.values():
                yield from kinds(value)

    found = {name: kind for name, card in CORPUS.items() for kind in kinds(card)
             if kind in ("Image", "ImageSet", "Media", "backgroundImage")}
    assert found == {}
