"""The Textual app: owns the Store, global keys, the command palette, signals."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType, Keymap

from . import config_app
from .config import Config
from .screens.main import MainScreen
from .startup import resume_gc

if TYPE_CHECKING:
    from store.db import Store

EXIT_GRACE = 2.0  # seconds a hung-up reader may take to exit before it is ended
KEY_HOLD = 0.25  # seconds after a key during which background warm-up waits
EARLY_WARM_PAPERS = 20_000  # from this many papers the search warm-up starts at Ready
FIRST_SEARCH_WAIT = 0.3  # seconds ``/`` waits at most for the search index after start


def reader_commands():
    """The palette's reader actions, imported when the palette first opens."""
    from .commands import ReaderCommands

    return ReaderCommands


def paper_commands():
    """The palette's paper finder, imported when the palette first opens."""
    from .commands_papers import PaperCommands

    return PaperCommands


class PapersApp(App[None]):
    """A terminal reader for Korean ML-paper digests."""

    CSS_PATH = "app.tcss"
    TITLE = "papers"
    COMMANDS = App.COMMANDS | {reader_commands, paper_commands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="help"),
        Binding("slash", "search", "Search", id="search"),
        Binding("at", "authors", "Authors", id="authors"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding(
            "ctrl+p", "command_palette", "Palette", show=False, priority=True, id="command-palette"
        ),
    ]

    def __init__(self, store: Store, *, handle_signals: bool = False,
                 config: Config | None = None) -> None:
        # (before App.__init__, which reads get_css_variables: the pane widths)
        self.config = Config() if config is None else config  # tui/config.py
        super().__init__()
        self.store = store
        self.keymap: dict[str, str] = {}  # binding id -> keys, as set by set_keymap
        self._handle_signals = handle_signals
        self._messages_shown = 0
        self.reader: MainScreen | None = None  # the main screen, made after mount
        self._early_keys: list[events.Key] = []  # keys that came before the reader
        self._first_frame_out = False  # _after_first_frame has run
        self._warm_started = False  # _warm_search has run
        self._last_key = 0.0  # time.monotonic() of the last key (background work waits)
        config_app.prepare(self, self.config)  # theme and keymap (set_keymap, above)

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables and the pane widths from the config (app.tcss)."""
        return {**super().get_css_variables(), **config_app.css_variables(self.config)}

    def on_mount(self) -> None:
        if self._handle_signals:
            self._install_signal_handlers()
        # The reader is pushed once Textual's start-up batch is over (call_later: the
        # app's queue is read after it).  A screen pushed here, inside the batch, is laid
        # out and rendered there and that frame is thrown away: the first frame written
        # was a later partial update (the detail pane) and the whole screen came ~25 ms
        # after it.  Not the default screen (get_default_screen) either: that one is laid
        # out before the terminal's size is known.
        self.call_later(self._push_reader)

    def _push_reader(self) -> None:
        self.reader = MainScreen(self.store)
        self.push_screen(self.reader)
        self.show_store_messages()
        config_app.mount(self, self.config)
        # after the reader's first frame is written
        self.call_after_refresh(self._after_first_frame)
        early, self._early_keys = self._early_keys, []
        for key in early:  # typed before the reader was up: it answers them now
            self.post_message(key)

    def _after_first_frame(self) -> None:
        """The reader's first frame is on the screen: the collector paused by the CLI
        for start-up goes back on (tui/startup.py), and what the first search needs is
        made ready in the background.  Both wait for the frame: the warm-up's threads,
        once started at Textual's Ready (which comes when a screen is first laid out,
        before that frame is rendered and written), took the CPU from the frame's render
        and its write (26-36 ms of a 0.25 s start at 5.5k papers).  Once: ``/`` typed
        before this refresh (the first frame is out when a person sees it) does it too,
        so that the search neither runs with the collector paused and the start-up's
        short thread switch interval nor waits for a warm-up not yet begun."""
        if self._first_frame_out:
            return
        self._first_frame_out = True
        resume_gc()
        self._warm_search()

    def on_ready(self) -> None:
        # A big archive's search warm-up starts at Textual's Ready, before the first
        # frame is written (see _after_first_frame): its first search needs ~100 ms of
        # readying at 55k papers, which a ``/`` pressed at once would wait for, and its
        # start-up target (2x a bare app, against 1.3x at 5.5k) has room for the frame's
        # share of the CPU.
        listed = getattr(self.store, "listed_count", None)
        if listed is not None and listed() >= EARLY_WARM_PAPERS:
            self._warm_search()

    def _warm_search(self) -> None:
        """Ready the first search in threads, so it is as quick as any later one: the
        store opens its index and readies what every search needs (``warm_search``; the
        caches of other kinds of query wait while keys come in: ``typing``), and a
        worker imports the search screen's modules.  Started once the first frame is
        out."""
        warm = getattr(self.store, "warm_search", None)
        if warm is None or self._warm_started:
            return
        self._warm_started = True
        warm(hold=self.typing)
        self.run_worker(self._import_search_screen, thread=True, group="warm",
                        exit_on_error=False)

    def _import_search_screen(self) -> None:
        from .screens import search  # noqa: F401 (imported on first use otherwise)

    def typing(self) -> bool:
        """Whether a key came in the last ``KEY_HOLD`` seconds: background warm-up waits
        meanwhile, so what the key started (opening a screen, a search) has the CPU
        (safe to ask from any thread)."""
        return time.monotonic() - self._last_key < KEY_HOLD

    def set_keymap(self, keymap: Keymap) -> None:
        """Remember the keymap (the help screen lists the keys as remapped)."""
        self.keymap = dict(keymap)
        super().set_keymap(keymap)

    def update_keymap(self, keymap: Keymap) -> None:
        self.keymap = {**self.keymap, **keymap}
        super().update_keymap(keymap)

    def show_paper(self, paper_id: str | None) -> bool:
        """The one route to a paper: show it in its day in the reader, open in the
        detail pane, and mark it read.  Every finder (``/``, ``@``, ``T``, the palette)
        ends here with the id it was dismissed with (None: nothing chosen)."""
        if not paper_id or self.reader is None:
            return False
        if not self.reader.show_paper(paper_id):
            self.notify("That paper is no longer in the corpus.", severity="warning")
            return False
        return True

    def show_store_messages(self) -> None:
        """Say what the store has found since the last call (a damaged file, a record
        it could not use): at start-up, and later when a month's file is first read."""
        messages = getattr(self.store, "messages", None) or []
        for message in messages[self._messages_shown:]:
            self.notify(str(message), markup=False, timeout=6)
        self._messages_shown = len(messages)

    def _install_signal_handlers(self) -> None:
        """SIGTERM/SIGHUP end the app cleanly (state is already on disk)."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            try:
                loop.add_signal_handler(sig, self._end_on_signal)
            except (NotImplementedError, RuntimeError, ValueError):  # pragma: no cover
                pass

    def _end_on_signal(self) -> None:
        """Exit; and if that has not finished in ``EXIT_GRACE`` seconds, end the process.
        When the terminal is gone, Textual's shutdown can block for ever writing to it
        (its output thread dies on EIO, then a full queue blocks); every change is
        already on disk, so nothing is lost by not waiting."""
        watchdog = threading.Timer(EXIT_GRACE, os._exit, args=(0,))
        watchdog.daemon = True
        watchdog.start()
        self.exit()

    async def on_event(self, event: events.Event) -> None:
        # Another process's changes show up on the reader's next keypress too, not only
        # on its timer (a key typed into a finder or a dialog does not look: its timer
        # still does, and a burst of typed keys looked as many times)
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self.reader is None:  # typed ahead, before the reader is up (_push_reader)
                self._early_keys.append(event)
                return
            self._last_key = time.monotonic()
            if self.reader is not None and self.screen is self.reader:
                self.reader.poll_external()
        await super().on_event(event)

    # -- global actions -------------------------------------------------------
    def action_help(self) -> None:
        from .screens.help import HelpScreen  # imported on first use (start-up time)

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_search(self) -> None:
        """Search every paper (``tui/screens/search.py``); the chosen paper is shown."""
        from .screens.search import SearchScreen  # imported on first use (start-up time)

        # ``/`` pressed while the index is still being readied after start (the first
        # ~100 ms at 55k papers): the rest of it runs first, so that the keys typed into
        # the box are answered at once, not after it (the box and the first results
        # share one CPU either way); never more than FIRST_SEARCH_WAIT
        # ``/`` pressed before the refresh after the first frame (the warm-up waits for
        # it, and a key typed at once can come first): what it does is done now
        self._after_first_frame()
        ready = getattr(self.store, "search_ready", None)
        if ready is not None:
            ready(FIRST_SEARCH_WAIT)
        self.push_screen(SearchScreen(self.store), callback=self.show_paper)
        # the warm-up's other steps wait as if a key came now, not at ``/``: the wait and
        # the box took that long, and the keys typed into it come next
        self._last_key = time.monotonic()

    def action_authors(self) -> None:
        """The author index: every author, then their papers (``tui/screens/authors.py``)."""
        from .screens.authors import AuthorScreen

        self.push_screen(AuthorScreen(self.store), callback=self.show_paper)


def run_app(store: Store, config: Config | None = None) -> int:
    """Run the reader until the user quits (or SIGTERM/SIGHUP arrives); the exit status
    (Textual's ``return_code``: 0 after a quit, 1 after a crash)."""
    app = PapersApp(store, handle_signals=True, config=config)
    app.run()  # never under TERM=dumb: the CLI says what works there (tui/cli.py)
    return app.return_code or 0
