"""A small PNG reader for the browser test: 8-bit RGB or RGBA, not interlaced (what Chromium's
`--screenshot` writes), into a numpy array. Enough to find where colours are, no imaging
library needed."""

from __future__ import annotations

import struct
import zlib

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) from the IHDR chunk."""
    assert data[:8] == SIGNATURE, "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def read_png(data: bytes) -> np.ndarray:
    """Pixels as an (height, width, 3) uint8 array (alpha dropped)."""
    width, height = png_size(data)
    depth, colour, _, _, interlace = data[24:29]
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    channels = 3 if colour == 2 else 4
    compressed, at = bytearray(), 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        if kind == b"IDAT":
            compressed += data[at + 8 : at + 8 + length]
        at += 12 + length
    raw = zlib.decompress(bytes(compressed))
    stride = width * channels
    rows = np.zeros((height, stride), np.uint8)
    previous = np.zeros(stride, np.int32)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = np.frombuffer(raw, np.uint8, stride, start + 1).astype(np.int32)
        rows[y] = previous = _unfilter(kind, line, previous, channels)
    return rows.reshape(height, width, channels)[:, :, :3]


def _unfilter(kind: int, line: np.ndarray, up: np.ndarray, bpp: int) -> np.ndarray:
    if kind == 0:
        return line
    if kind == 2:
        return (line + up) % 256
    out = line.copy()
    if kind == 1:  # Sub: a running sum per channel
        for c in range(bpp):
            out[c::bpp] = np.cumsum(line[c::bpp]) % 256
        return out
    for x in range(len(out)):  # Average and Paeth depend on the byte just decoded
        left = out[x - bpp] if x >= bpp else 0
        corner = up[x - bpp] if x >= bpp else 0
        if kind == 3:
            out[x] = (line[x] + (left + up[x]) // 2) % 256
            continue
        p = left + up[x] - corner
        pa, pb, pc = abs(p - left), abs(p - up[x]), abs(p - corner)
        guess = left if pa <= pb and pa <= pc else (up[x] if pb <= pc else corner)
        out[x] = (line[x] + guess) % 256
    return out


def where_colour(pixels: np.ndarray, hex_colour: str, tolerance: int = 3) -> np.ndarray:
    """(y, x) of every pixel within `tolerance` of `#rrggbb`, one per row of the result."""
    target = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)], np.int32)
    close = np.all(np.abs(pixels.astype(np.int32) - target) <= tolerance, axis=2)
    return np.argwhere(close)
