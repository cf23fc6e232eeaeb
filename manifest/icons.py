"""The app icons, drawn in code: a white paraph (a checkmark with an underline flourish).

``python manifest/icons.py`` writes ``icons/color.png`` (192x192, municipality blue, the mark
in white) and ``icons/outline.png`` (32x32, the mark in white on transparent), the two icons
a Teams app package needs. Standard library only: PNGs are written with ``zlib`` and
``struct``; edges are anti-aliased from each pixel's distance to the strokes.
"""

from __future__ import annotations

import itertools
import math
import struct
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
BLUE = (0x15, 0x42, 0x73)  # the accent colour in the manifest (#154273)
WHITE = (255, 255, 255)

Point = tuple[float, float]
# The mark in a unit square: a checkmark, and under it the sweep of a hand-written paraph.
CHECK: list[Point] = [(0.10, 0.44), (0.36, 0.68), (0.90, 0.12)]
SWEEP_CONTROL: tuple[Point, Point, Point] = ((0.06, 0.92), (0.50, 0.78), (0.94, 0.86))


def _bezier(p0: Point, p1: Point, p2: Point, steps: int = 16) -> list[Point]:
    points = []
    for i in range(steps + 1):
        t = i / steps
        u = 1 - t
        points.append((u * u * p0[0] + 2 * u * t * p1[0] + t * t * p2[0],
                       u * u * p0[1] + 2 * u * t * p1[1] + t * t * p2[1]))
    return points


def _segments(polyline: Sequence[Point]) -> list[tuple[Point, Point]]:
    return list(itertools.pairwise(polyline))


def _distance(p: Point, a: Point, b: Point) -> float:
    """Distance from p to the segment a-b."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy)
                                              / length2))
    return math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy))


def mark_coverage(size: int, box: float, check_width: float, sweep_width: float) -> list[float]:
    """Per pixel (row by row), how much of it the mark covers, 0..1.

    ``box`` is the side of the mark's square in pixels (centred); widths are in pixels.
    """
    offset = (size - box) / 2
    strokes = [
        ([((x * box + offset), (y * box + offset)) for x, y in CHECK], check_width / 2),
        ([((x * box + offset), (y * box + offset)) for x, y in _bezier(*SWEEP_CONTROL)],
         sweep_width / 2),
    ]
    segments = [(seg, radius) for line, radius in strokes for seg in _segments(line)]
    coverage = []
    for row in range(size):
        for col in range(size):
            centre = (col + 0.5, row + 0.5)
            # signed distance to the stroke edge; a one-pixel ramp anti-aliases the edge
            edge = min(_distance(centre, a, b) - radius for (a, b), radius in segments)
            coverage.append(max(0.0, min(1.0, 0.5 - edge)))
    return coverage


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png(width: int, height: int, rgba: bytes) -> bytes:
    """An 8-bit RGBA PNG (colour type 6), every row with filter type 0."""
    if len(rgba) != width * height * 4:
        raise ValueError("rgba must hold width * height * 4 bytes")
    stride = width * 4
    raw = b"".join(b"\x00" + rgba[row * stride:(row + 1) * stride] for row in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(raw, 9)) + _chunk(b"IEND", b""))


def color_icon() -> bytes:
    """192x192: the white mark on a full-bleed blue square, fully opaque."""
    size = 192
    out = bytearray()
    for a in mark_coverage(size, box=104, check_width=17, sweep_width=9):
        out += bytes(round(bg + (fg - bg) * a) for bg, fg in zip(BLUE, WHITE, strict=True))
        out.append(255)
    return png(size, size, bytes(out))


def outline_icon() -> bytes:
    """32x32: the mark in white, everything else fully transparent."""
    size = 32
    out = bytearray()
    for a in mark_coverage(size, box=28, check_width=4.2, sweep_width=2.8):
        alpha = round(255 * a)
        out += bytes((255, 255, 255, alpha)) if alpha else bytes(4)
    return png(size, size, bytes(out))


ICONS = {"color.png": color_icon, "outline.png": outline_icon}


def write(folder: Path = HERE / "icons") -> list[Path]:
    """(Re)write the icon files; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, draw in ICONS.items():
        path = folder / name
        path.write_bytes(draw())
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "icons"):
        print(path)
