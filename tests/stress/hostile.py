"""A generated corpus of hostile digests (check 4).

Every payload that could act on a terminal or on Rich/Textual markup carries the
marker ``PWN``: if any of them reached the terminal as a control sequence, the
sequence would contain the marker.  Titles start with a tag ``H0001.1`` so the
reader's screen can be searched for each of them.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

MARKER = "PWN"

MARKUP = [
    "[b]PWN-bold[/b]",
    "[/]",
    "[/b] close before open",
    "[link=https://pwn.example/]PWN-link[/link]",
    "[@click=app.quit]PWN-click[/]",
    "[@click=app.bell]ring[/]",
    "[red on white]PWN-colour[/red on white]",
    "\\[escaped] and \\\\[double]",
    "[bold unclosed",
    "]]] [[[ ][ [] [=] [@] [/@]",
    "$accent $text {braces} %s %(x)s",
    "<script>alert('PWN')</script>",
    ":smile: :PWN: :warning:",
]

ESCAPES = [
    "\x1b[31mPWN-csi-red\x1b[0m",
    "\x1b[2J\x1b[HPWN-clear",
    "\x1b[?1049lPWN-altscreen",
    "\x1b[6nPWN-dsr",  # a device status report: the terminal would answer as if typed
    "\x1b[21tPWN-title-report",
    "\x1b]0;PWN-osc0-title\x07",
    "\x1b]2;PWN-osc2-title\x1b\\",
    "\x1b]8;;https://pwn.example/\x1b\\PWN-osc8\x1b]8;;\x1b\\",
    "\x1b]52;c;UFdOLWNsaXBib2FyZA==\x07",  # base64 "PWN-clipboard"
    "\x1b]52;c;?\x07PWN-clip-read",
    "\x1bP+qPWN-dcs\x1b\\",
    "\x1b_PWN-apc\x1b\\",
    "\x1b]1337;File=PWN\x07",
    "\x1bcPWN-reset",
    "\x1b#8PWN-decaln",
    "\x1b(0PWN-linedraw\x1b(B",
    "\x0ePWN-shift-out\x0f",
    "\x9b31mPWN-c1-csi",
    "\x9d0;PWN-c1-osc\x9c",
    "\x90PWN-c1-dcs\x9c",
    "\x85PWN-c1-nel \x84 \x8d \x8e",
    "PWN-bell\x07\x07",
    "PWN-backspace\x08\x08\x08XYZ",
    "PWN-cr\rSAFE",
    "\x1b]0;PWN-unterminated-osc",
    "\x1b[PWN-broken-csi",
    "\x1b",
    "\x7fPWN-del\x01soh\x1fus",
]

BIDI = [
    "\u202ePWN-rlo-txt.exe",
    "\u202dPWN-lro\u202c",
    "\u2066PWN-lri\u2069 \u2067rli\u2069 \u2068fsi\u2069",
    "\u200fPWN-rlm\u200e lrm \u061c alm",
    "\u202aPWN-lre\u202c \u202brle\u202c",
]

ZERO_WIDTH = [
    "PWN\u200bzero\u200cwidth\u200djoiner\u2060word\ufeffbom",
    "\u2028PWN-line-sep\u2029para-sep",
    "e\u0301\u0301\u0301 combining PWN-zalgo a\u0300\u0301\u0302\u0303\u0304",
]

KOREAN = [
    "한국어 제목: 깊이 추정 모델",
    "ㄱㅇ ㅊㅈ 초성만 PWN",
    "\u1100\u1161\u11a8 조합형 자모 (NFD)",
    "全角ＡＢＣ　와 이모지 🧪🔥 PWN",
]

PAYLOADS = MARKUP + ESCAPES + BIDI + ZERO_WIDTH + KOREAN

BAD_UTF8 = [b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xc0\xaf", b"\xe2\x82", b"\x9b31m"]

URLS = [  # each keeps the paper's id somewhere, so that no two papers share one
    "https://arxiv.org/abs/{id}",
    "javascript:alert('PWN-{id}')",
    "https://arxiv.org/abs/{id}\x1b]52;c;UFdO\x07",
    "file:///etc/passwd?{id}",
    "-https://arxiv.org/abs/{id}",
    "https://аrxiv.org/abs/{id}",
]


# files with a 1 MB line (in the title, one author, a bullet); none of them binary
BIG = {5: "title", 17: "authors", 26: "bullet", 102: "bullet", 150: "authors", 205: "title"}


def _date(n: int) -> str:
    return (dt.date(2019, 1, 1) + dt.timedelta(days=n)).isoformat()


def _paper(rng: random.Random, n: int, k: int, title_payload: str, *, big: str | None = None,
           many_authors: bool = False) -> str:
    pid = f"19{n // 1000:02d}.{n % 1000:03d}{k:02d}"
    url = rng.choice(URLS).format(id=pid)
    authors = (", ".join(f"Author{i:04d} {rng.choice(PAYLOADS)}" for i in range(3000))
               if many_authors else
               f"{rng.choice(PAYLOADS)}, Kim {rng.choice(PAYLOADS)}, O'Brien")
    title = f"H{n:04d}.{k} {title_payload}"
    if big == "title":
        title += " " + "긴 제목 [b]long[/b] " * 70_000
    bullets = [
        f"- **What's New**: {rng.choice(PAYLOADS)} 새로운 방법 {rng.choice(PAYLOADS)}",
        f"- **{rng.choice(MARKUP)}**: {rng.choice(PAYLOADS)}",
        f"- plain {rng.choice(PAYLOADS)}",
        f"  - child {rng.choice(PAYLOADS)}",
    ]
    if big == "bullet":
        bullets.append("- **Long**: " + "요약 " * 350_000)
    if big == "authors":
        authors = "A" * 1_048_576
    return "\n".join([
        f"### [{title}]({url})",
        "",
        f"![]({rng.choice(URLS).format(id=pid)})",
        "",
        f"Vote: {rng.choice(['7', '99999999999999999999', '-3', 'many', '12 ' + MARKER])}",
        "",
        f"Authors: {authors}",
        "",
        *bullets,
        "",
        f"[Watch Video]({rng.choice(URLS).format(id=pid)})",
        "",
    ])


def generate(root: Path, files: int, seed: int = 4) -> dict:
    """Write ``files`` hostile digest files (and a few binary ones) under ``root``.

    Returns what was made: ``{"files": n}``."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    made = 0
    for n in range(files):
        date = _date(n)
        kind = n % 20
        folder = root / date[:4] / date[5:7]
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{date}.md"
        if n % 40 in (13, 39):  # a hostile file name too (a text file, a binary one)
            name = f"{date}\x1b]0;{MARKER}-fname\x07\u202e.md"
        if n % 40 in (21, 38):  # a name that is not UTF-8 (binary, text)
            name = os.fsdecode(f"{date}-".encode() + b"\xff\xfe\x9b2J.md")
        if kind == 19:  # binary: random bytes, a PNG header, NUL-filled
            blobs = [bytes(rng.randrange(256) for _ in range(4096)),
                     b"\x89PNG\r\n\x1a\n" + bytes(2000), b"\x00" * 512]
            (folder / name).write_bytes(blobs[n // 20 % 3])
            made += 1
            continue
        papers = []
        for k in range(1 + n % 3):
            payload = PAYLOADS[(n * 3 + k) % len(PAYLOADS)]
            big = BIG.get(n) if k == 0 else None
            papers.append(_paper(rng, n, k, payload, big=big, many_authors=n % 61 == 7 and k == 0))
        text = f"## Daily Papers ({date})\n\n" + "\n".join(papers)
        data = text.encode("utf-8", "surrogatepass")
        if kind == 3:  # invalid UTF-8 sprinkled into the text
            parts = data.split(b" ")
            for i in range(8, len(parts), 7):
                parts[i] = rng.choice(BAD_UTF8) + parts[i]
            data = b" ".join(parts)
        if kind in (4, 9):  # Windows line ends
            data = data.replace(b"\n", b"\r\n")
        if kind == 5:  # old Mac line ends
            data = data.replace(b"\n", b"\r")
        if kind == 6:  # a byte-order mark
            data = b"\xef\xbb\xbf" + data
        (folder / name).write_bytes(data)
        made += 1
    return {"files": made}
