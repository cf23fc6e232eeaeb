"""QuickXorHash of the Graph test server against Microsoft's published algorithm."""

from __future__ import annotations

import base64
import random

import pytest

from tests.support.graph_server.quickxor import quickxor_hash


def reference(data: bytes) -> str:
    """Byte by byte, as the published algorithm states it: byte i goes in at bit (11 * i)
    mod 160 of a 160-bit register, wrapping round; the length is XORed into the last 8 bytes."""
    register = 0
    for index, byte in enumerate(data):
        shift = (index * 11) % 160
        register ^= (byte << shift) | (byte >> (160 - shift))
    register &= (1 << 160) - 1
    digest = bytearray(register.to_bytes(20, "little"))
    for n, byte in enumerate(len(data).to_bytes(8, "little")):
        digest[12 + n] ^= byte
    return base64.b64encode(bytes(digest)).decode()


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "AAAAAAAAAAAAAAAAAAAAAAAAAAA="),
    (b"J", "SgAAAAAAAAAAAAAAAQAAAAAAAAA="),  # one byte: the byte, then the length at byte 12
])
def test_known_digests(content: bytes, expected: str) -> None:
    assert quickxor_hash(content) == expected == reference(content)


@pytest.mark.parametrize("size", [1, 2, 20, 159, 160, 161, 320, 1000, 4096, 327_681])
def test_matches_the_byte_by_byte_definition(size: int) -> None:
    data = random.Random(size).randbytes(size)
    assert quickxor_hash(data) == reference(data)


def test_differs_on_a_single_changed_byte() -> None:
    data = bytearray(b"x" * 500)
    before = quickxor_hash(bytes(data))
    data[321] ^= 1
    assert quickxor_hash(bytes(data)) != before
