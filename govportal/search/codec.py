"""The binary shard format read by ``search-index.js``: compact, and fast to write from Python.

A shard holds the postings of the terms whose hash falls into it::

    shard   := b"GPS1" count(terms) term*            (terms in code point order)
    term    := count(len utf-8) utf-8 count(fields) field*
    field   := u8 field-id  u8 kind  payload
    kind 0  :  count(n)  n × varint gap  [n × u8 weight]: the ids, each as the gap from the
               previous one (the first from -1), then a weight per id if the field is weighted
    kind 1  :  count(n)  n × varint gap: complement, the ids of the base WITHOUT the term
    kind 2  :  ceil(universe / 8) bytes: a bitmap of the base's ids, lowest bit first

Kinds 1 and 2 serve common terms (whichever is smallest) and carry no weights: the
browser takes the weight of one occurrence at average length. ``universe`` is the
number of documents of the base (the manifest's ``base.size``); a delta has only kind 0.
All counts and gaps are unsigned LEB128 varints.
"""
from __future__ import annotations

from itertools import chain
from operator import sub

MAGIC = b"GPS1"
SPARSE, COMPLEMENT, BITMAP = 0, 1, 2
_BIT = (1, 2, 4, 8, 16, 32, 64, 128)
_TABLE = tuple(bytes([v]) if v < 0x80 else bytes([(v & 0x7F) | 0x80, v >> 7]) for v in range(1 << 14))


def varint(value: int) -> bytes:
    if value < 1 << 14:
        return _TABLE[value]
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def gaps(ids) -> bytes:
    """Sorted distinct ids as varint gaps (the first from -1, so every gap is at least 1)."""
    diffs = list(map(sub, ids, chain((-1,), ids)))
    if diffs and max(diffs) >= 1 << 14:
        return b"".join(map(varint, diffs))
    return b"".join(map(_TABLE.__getitem__, diffs))


def encode_field(field_id: int, ids, weights: bytes | None = None, universe: int = 0) -> bytes:
    """One field's postings in the smallest kind. With ``weights``, a term is stored without them
    (as a bitmap or complement) only if at least one document in 16 has it."""
    n = len(ids)
    if universe and n and (weights is None or n * 16 >= universe):
        sparse = n * (1 if universe < 128 * n else 2) + (n if weights is not None else 0)
        bitmap = (universe + 7) // 8
        rest = universe - n
        complement = 1 + rest * (1 if universe < 128 * max(rest, 1) else 2)
        if complement < min(sparse, bitmap):
            absent = sorted(set(range(universe)).difference(ids))
            return bytes((field_id, COMPLEMENT)) + varint(len(absent)) + gaps(absent)
        if bitmap < sparse:
            bits = bytearray(bitmap)
            for i in ids:
                bits[i >> 3] |= _BIT[i & 7]
            return bytes((field_id, BITMAP)) + bytes(bits)
    out = bytes((field_id, SPARSE)) + varint(n) + gaps(ids)
    return out + bytes(weights) if weights is not None else out


def encode_shard(terms: dict[str, tuple[bytes, int]]) -> bytes:
    """``terms``: term -> (its encoded fields joined, how many fields)."""
    parts = [MAGIC, varint(len(terms))]
    for term in sorted(terms):
        raw = term.encode("utf-8")
        data, count = terms[term]
        parts += [varint(len(raw)), raw, varint(count), data]
    return b"".join(parts)


def decode_shard(data: bytes, weighted: set[int], universe: int) -> dict[str, dict[int, tuple[list[int], bytes | None]]]:
    """The inverse of :func:`encode_shard` (for tests and tools): term -> field -> (ids, weights)."""
    if data[:4] != MAGIC:
        raise ValueError("not a search shard")
    pos = 4

    def read() -> int:
        nonlocal pos
        value = shift = 0
        while True:
            byte = data[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7

    out: dict[str, dict[int, tuple[list[int], bytes | None]]] = {}
    for _ in range(read()):
        length = read()
        term = data[pos:pos + length].decode("utf-8")
        pos += length
        fields: dict[int, tuple[list[int], bytes | None]] = {}
        for _ in range(read()):
            field_id, kind = data[pos], data[pos + 1]
            pos += 2
            weights = None
            if kind == BITMAP:
                size = (universe + 7) // 8
                bits, pos = data[pos:pos + size], pos + size
                fields[field_id] = ([i for i in range(universe) if bits[i >> 3] & _BIT[i & 7]], None)
                continue
            n = read()
            ids, last = [], -1
            for _ in range(n):
                last += read()
                ids.append(last)
            if kind == COMPLEMENT:
                absent = set(ids)
                ids = [i for i in range(universe) if i not in absent]
            elif field_id in weighted:
                weights, pos = data[pos:pos + n], pos + n
            fields[field_id] = (ids, weights)
        out[term] = fields
    return out
