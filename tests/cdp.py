"""A headless Chromium driven through the DevTools protocol (for ``papers serve`` tests
and the served screenshot).  Uses aiohttp's websocket client, which textual-serve
brings along: no Playwright needed.

Chromium runs with a throw-away profile, no network services of its own, and only
ever talks to the loopback address it is given.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Self

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--mute-audio",
]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


class Browser:
    """One Chromium, one page.  ``async with Browser() as page: ...``"""

    def __init__(self, width: int = 1200, height: int = 800) -> None:
        self.size = (width, height)
        self.proc: subprocess.Popen | None = None
        self.profile = ""
        self._session = None
        self._ws = None
        self._next_id = 0
        self._replies: dict[int, asyncio.Future] = {}
        self.events: list[dict] = []
        self._changed = asyncio.Event()
        self._reader: asyncio.Task | None = None

    async def __aenter__(self) -> Self:
        import aiohttp

        exe = find_chromium()
        if exe is None:
            raise RuntimeError("no chromium")
        self.profile = tempfile.mkdtemp(prefix="papers-chromium-")
        width, height = self.size
        self.proc = subprocess.Popen(  # noqa: ASYNC220 - returns once started, never waits
            [exe, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}",
             "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
             f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = await asyncio.to_thread(self._devtools_url)
        port = re.search(r":(\d+)/", url).group(1)
        self._session = aiohttp.ClientSession()
        async with self._session.get(f"http://127.0.0.1:{port}/json/list") as reply:
            targets = await reply.json()
        page = next(t for t in targets if t["type"] == "page")
        self._ws = await self._session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0)
        self._reader = asyncio.create_task(self._read())
        for domain in ("Network", "Page", "Runtime"):
            await self.call(f"{domain}.enable")
        await self.call("Target.setDiscoverTargets", discover=True)
        return self

    def _devtools_url(self) -> str:
        assert self.proc is not None and self.proc.stderr is not None
        for raw in self.proc.stderr:
            m = re.search(r"DevTools listening on (ws://\S+)", raw.decode(errors="replace"))
            if m:
                return m.group(1)
        raise RuntimeError("chromium exited before its DevTools endpoint was up")

    async def __aexit__(self, *exc) -> None:
        if self._reader is not None:
            self._reader.cancel()
        if self._ws is not None:
            await self._ws.close()
        if self._session is not None:
            await self._session.close()
        if self.proc is not None:
            self.proc.terminate()
            try:
                await asyncio.to_thread(self.proc.wait, 10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    async def _read(self) -> None:
        async for message in self._ws:
            data = json.loads(message.data)
            if "id" in data and data["id"] in self._replies:
                self._replies.pop(data["id"]).set_result(data)
            elif "method" in data:
                self.events.append(data)
                self._changed.set()

    async def call(self, method: str, **params) -> dict:
        self._next_id += 1
        future = asyncio.get_running_loop().create_future()
        self._replies[self._next_id] = future
        await self._ws.send_json({"id": self._next_id, "method": method, "params": params})
        reply = await asyncio.wait_for(future, 30)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    async def evaluate(self, expression: str):
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def wait_for(self, predicate, timeout: float = 30.0):
        """Until ``predicate()`` (sync or async) is truthy, re-checked on each event and
        every 0.1 s; its last value (falsy when the time ran out)."""
        loop = asyncio.get_running_loop()
        end = loop.time() + timeout
        while True:
            value = predicate()
            if asyncio.iscoroutine(value):
                value = await value
            if value or loop.time() > end:
                return value
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), 0.1)
            except TimeoutError:
                pass

    # -- what the page exchanged over its websockets (the served terminal) ------
    def ws_received(self) -> bytes:
        """Every binary frame the page received, in order: the reader's terminal output."""
        out = bytearray()
        for event in self.events:
            if event["method"] == "Network.webSocketFrameReceived":
                frame = event["params"]["response"]
                if frame.get("opcode") == 2:
                    out += base64.b64decode(frame["payloadData"])
        return bytes(out)

    def ws_sent(self) -> list:
        out = []
        for event in self.events:
            if event["method"] == "Network.webSocketFrameSent":
                frame = event["params"]["response"]
                if frame.get("opcode") == 1:
                    try:
                        out.append(json.loads(frame["payloadData"]))
                    except ValueError:
                        pass
        return out

    def window_opens(self) -> list[str]:
        """URLs the page asked to open in a new window or tab (``window.open``)."""
        return [e["params"]["url"] for e in self.events if e["method"] == "Page.windowOpen"]

    def targets(self) -> list[str]:
        """URLs of every page target that appeared (window.open opens one)."""
        urls = []
        for event in self.events:
            if event["method"] in ("Target.targetCreated", "Target.targetInfoChanged"):
                info = event["params"]["targetInfo"]
                if info.get("type") == "page":
                    urls.append(info.get("url", ""))
        return urls

    async def press(self, key: str) -> None:
        """Type one printable key into the focused element."""
        await self.call("Input.dispatchKeyEvent", type="keyDown", key=key, text=key,
                        unmodifiedText=key)
        await self.call("Input.dispatchKeyEvent", type="keyUp", key=key)

    async def press_enter(self) -> None:
        await self.call("Input.dispatchKeyEvent", type="keyDown", key="Enter", code="Enter",
                        windowsVirtualKeyCode=13, text="\r")
        await self.call("Input.dispatchKeyEvent", type="keyUp", key="Enter", code="Enter",
                        windowsVirtualKeyCode=13)

    async def screenshot(self, path: Path) -> None:
        shot = await self.call("Page.captureScreenshot", format="png")
        Path(path).write_bytes(base64.b64decode(shot["data"]))
