"""Reader state between machines: ``papers state export FILE`` / ``papers state merge FILE``.

An export is every ``[value, changed_at_ms]`` entry of every state field (read,
bookmark, note, tags), keyed by paper id::

    {"format": "papers-state", "version": 1, "exported_at": 1718000000000,
     "fields": {"read": {"2406.09414": [true, 1718000000000], ...}, "bookmark": {...},
                "note": {...}, "tags": {...}}}

Merging keeps, per paper and per field, the entry with the newest change time; equal
times are broken by comparing the values' canonical JSON, so ``join`` is a semilattice
join (associative, commutative, idempotent): merging in any order, any number of times,
gives the same state.  An unbookmark is an entry ``[false, t]``, so a later unbookmark on
one machine wins over an earlier bookmark on the other.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import orjson

from .state import FIELDS, now_ms

__all__ = [
    "FORMAT",
    "VERSION",
    "SyncError",
    "build_export",
    "join",
    "merge_maps",
    "normalize_note",
    "normalize_tags",
    "parse_export",
    "wins",
]

FORMAT = "papers-state"
VERSION = 1
MAX_ID = 500
MAX_NOTE = 1_000_000
MAX_TAGS = 200
MAX_TAG = 100


class SyncError(Exception):
    """A state file that cannot be merged; the message is one line."""


# ---------------------------------------------------------------- values
def _clean(text: str) -> str:
    from .parse import clean_text  # control/escape/bidi characters out, NFC

    return clean_text(text)


def normalize_note(text: str | None) -> str | None:
    """A note as stored: cleaned, trailing whitespace off; empty means no note."""
    if text is None:
        return None
    text = _clean(str(text)).rstrip()
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip()
    return text or None


def normalize_tag(tag: str) -> str:
    """Lower case, single spaces, no commas (the separator).

    ``" ML,  Vision"`` -> ``"ml vision"``."""
    tag = _clean(str(tag)).replace(",", " ")
    tag = " ".join(tag.split()).lower()
    return tag[:MAX_TAG].strip()


def normalize_tags(tags: Any) -> list[str]:
    """Tags as stored: normalised, non-empty, first occurrence kept, at most ``MAX_TAGS``."""
    out: list[str] = []
    seen: set[str] = set()
    for t in tags or ():
        t = normalize_tag(t)
        if t and t not in seen:
            seen.add(t)
            out.append(t)
    return out[:MAX_TAGS]


def _canon(value: Any) -> bytes:
    return orjson.dumps(value)


def wins(new: list, old: list | None) -> bool:
    """Does entry ``new`` replace ``old``?  Newer change time; on a tie the larger value
    (canonical JSON) - the same rule as ``StateFile.merge``."""
    if old is None:
        return True
    if new[1] != old[1]:
        return new[1] > old[1]
    return _canon(new[0]) > _canon(old[0])


def join(a: list | None, b: list | None) -> list | None:
    if a is None:
        return b
    if b is None:
        return a
    return b if wins(b, a) else a


def merge_maps(a: dict[str, dict[str, list]], b: dict[str, dict[str, list]]
               ) -> dict[str, dict[str, list]]:
    """Field -> id -> entry: the join of two states (pure; used by tests and docs)."""
    out: dict[str, dict[str, list]] = {}
    for name in set(a) | set(b):
        fa, fb = a.get(name) or {}, b.get(name) or {}
        merged = dict(fa)
        for pid, entry in fb.items():
            merged[pid] = join(merged.get(pid), entry)
        out[name] = merged
    return out


# ---------------------------------------------------------------- files
def build_export(fields: dict[str, dict[str, list]]) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now_ms(),
        "fields": {name: dict(sorted((fields.get(name) or {}).items())) for name in FIELDS},
    }


def _value(name: str, pid: str, value: Any) -> Any:
    if name in ("read", "bookmark"):
        if not isinstance(value, bool):
            raise SyncError(f"{name} of {pid[:60]!r} is not true/false")
        return value
    if name == "note":
        if value is not None and not isinstance(value, str):
            raise SyncError(f"note of {pid[:60]!r} is not text or null")
        if isinstance(value, str) and len(value) > MAX_NOTE:
            raise SyncError(f"note of {pid[:60]!r} is too long")
        return normalize_note(value)
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise SyncError(f"tags of {pid[:60]!r} are not a list of text")
    return normalize_tags(value)


def parse_export(raw: bytes) -> dict[str, dict[str, list]]:
    """Validate an export; field -> id -> ``[value, ts]``.  Raises ``SyncError``."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise SyncError(f"not JSON ({str(exc).splitlines()[0]})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SyncError("not a papers state export (no \"format\": \"papers-state\")")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SyncError("bad version")
    if version > VERSION:
        raise SyncError(f"made by a newer papers (state format {version}); upgrade to merge it")
    fields = data.get("fields")
    if not isinstance(fields, dict):
        raise SyncError("no \"fields\" object")
    out: dict[str, dict[str, list]] = {}
    for name in FIELDS:
        entries = fields.get(name, {})
        if not isinstance(entries, dict):
            raise SyncError(f"field {name!r} is not an object")
        got: dict[str, list] = {}
        for pid, entry in entries.items():
            if not pid or len(pid) > MAX_ID or pid != unicodedata.normalize("NFC", pid) \
                    or any(ord(c) < 0x20 or ord(c) == 0x7F for c in pid):
                raise SyncError(f"bad paper id {pid[:60]!r} in {name!r}")
            if not (isinstance(entry, list) and len(entry) == 2):
                raise SyncError(f"{name} of {pid[:60]!r} is not [value, time]")
            ts = entry[1]
            if not isinstance(ts, int) or isinstance(ts, bool) or not 0 <= ts < 2**53:
                raise SyncError(f"{name} of {pid[:60]!r} has a bad change time")
            got[pid] = [_value(name, pid, entry[0]), ts]
        out[name] = got
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise SyncError(f"unknown field {min(unknown)!r}")
    return out
