"""Command palette provider: every reader action by name (Ctrl+P)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .actions import Entry, entries


class ReaderCommands(Provider):
    """Offers the reader's actions; run against the screen the palette was opened from."""

    def _commands(self) -> Iterator[tuple[Entry, object]]:
        from .screens.main import MainScreen

        screen = self.screen
        for entry in entries():
            if entry.namespace == "app" and entry.action != "command_palette":
                yield entry, partial(self.app.run_action, entry.action)
            elif entry.namespace == "screen" and isinstance(screen, MainScreen):
                yield entry, partial(self.app.run_action, entry.action, screen)

    async def discover(self) -> Hits:
        for entry, command in self._commands():
            yield DiscoveryHit(entry.title, command, help=entry.help)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry, command in self._commands():
            score = matcher.match(entry.title)
            if score > 0:
                title = matcher.highlight(entry.title)
                yield Hit(score, title, command, help=entry.help)  # type: ignore[arg-type]
