"""Links, in the reader: ``o`` opens the paper's page in a browser, ``y`` copies it.

``LinkActions`` is mixed into the main screen (which provides ``current_or_warn``).
Opening a browser can block for a while, so it runs in a thread worker; without a
display (over SSH) the link is copied instead (OSC 52).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from ..clipboard import has_display, open_in_browser, safe_url

if TYPE_CHECKING:
    from store.models import Paper


class LinkActions:
    """``o`` and ``y`` for the main screen."""

    def current_or_warn(self) -> Paper | None:  # pragma: no cover - the screen's
        raise NotImplementedError

    def _paper_url(self, missing: str) -> str | None:
        """The highlighted paper's link if it is safe to open; else say ``missing``."""
        paper = self.current_or_warn()
        if paper is None:
            return None
        url = safe_url(paper.url)
        if url is None:
            self.notify(missing, severity="warning")  # type: ignore[attr-defined]
        return url

    def action_open_browser(self) -> None:
        url = self._paper_url("This paper has no web link to open.")
        if url is not None:
            self.open_link(url)

    def open_link(self, url: str) -> None:
        """Open ``url`` (checked by ``safe_url``) where the reader is read: served, in the
        reader's browser (a new tab); in a terminal, the system browser if there is a
        display, else copy it (OSC 52)."""
        app = self.app  # type: ignore[attr-defined]
        if app.is_web:
            app.open_url(url)
            self.notify(f"Opened {url}", markup=False, timeout=2)  # type: ignore[attr-defined]
        elif has_display():
            self._open_url(url)
        else:
            self._copy(url, "No browser here; copied the link")

    @work(thread=True, exclusive=True, group="browser")
    def _open_url(self, url: str) -> None:
        app = self.app  # type: ignore[attr-defined]
        if open_in_browser(url):
            app.call_from_thread(self.notify,  # type: ignore[attr-defined]
                                 f"Opened {url}", markup=False, timeout=2)
        else:
            app.call_from_thread(self._copy, url, "Could not open a browser; copied the link")

    def action_copy_link(self) -> None:
        url = self._paper_url("This paper has no web link.")
        if url is not None:
            self._copy(url, "Copied link")

    def _copy(self, url: str, message: str) -> None:
        self.app.copy_to_clipboard(url)  # type: ignore[attr-defined]
        self.notify(f"{message}: {url}", markup=False)  # type: ignore[attr-defined]
