"""QuickXorHash, the content hash SharePoint and OneDrive for Business report for files.

Microsoft's published algorithm: a 160-bit state; byte `i` of the content is XORed into the
state at bit offset `(i * 11) % 160`, wrapping around the 160-bit boundary. At the end the
content length (64-bit little-endian) is XORed into the last 8 bytes of the 20-byte digest,
which is reported base64-encoded (`file.hashes.quickXorHash`).

Because the offset only depends on `i % 160`, the bytes are first folded into one 160-byte
block (XOR of all 160-byte strides, done with big integers), then that block is spread over
the state: linear in the content size and fast in pure Python.
"""

from __future__ import annotations

import base64

WIDTH_BITS = 160
SHIFT = 11
_MASK = (1 << WIDTH_BITS) - 1


def _fold(data: bytes) -> bytes:
    """XOR of all 160-byte strides of `data` (zero-padded): byte k = XOR of data[k::160]."""
    block = WIDTH_BITS  # bytes per stride
    if len(data) <= block:
        return data.ljust(block, b"\0")
    strides = -(-len(data) // block)
    size = 1
    while size < strides:
        size *= 2
    value = int.from_bytes(data.ljust(size * block, b"\0"), "little")
    while size > 1:
        size //= 2
        bits = size * block * 8
        value = (value >> bits) ^ (value & ((1 << bits) - 1))
    return value.to_bytes(block, "little")


def _spread(folded: bytes) -> int:
    state = 0
    for k, byte in enumerate(folded):
        if byte:
            shift = (k * SHIFT) % WIDTH_BITS
            state ^= ((byte << shift) | (byte >> (WIDTH_BITS - shift))) & _MASK
    return state


def quickxor_digest(data: bytes) -> bytes:
    """The raw 20-byte QuickXorHash of `data`."""
    digest = bytearray(_spread(_fold(data)).to_bytes(WIDTH_BITS // 8, "little"))
    for i, byte in enumerate(len(data).to_bytes(8, "little")):
        digest[WIDTH_BITS // 8 - 8 + i] ^= byte
    return bytes(digest)


def quickxor_hash(data: bytes) -> str:
    """The value Graph puts in `file.hashes.quickXorHash`."""
    return base64.b64encode(quickxor_digest(data)).decode()
