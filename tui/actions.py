"""One catalogue of the reader's actions, for the help screen and the command palette.

Each entry names a binding id (so the keys shown follow ``App.set_keymap``),
the action it runs and where that action lives ("screen" = the main screen,
"app" = the App, "" = only the focused widget, not offered in the palette).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Entry:
    binding_id: str
    title: str
    help: str
    action: str = ""
    namespace: str = "screen"  # "screen", "app" or "" (widget-only)


SECTIONS: list[tuple[str, list[Entry]]] = [
    (
        "Moving",
        [
            Entry("list.down", "Down", "Next row (in the detail pane: scroll down)", namespace=""),
            Entry("list.up", "Up", "Previous row (in the detail pane: scroll up)", namespace=""),
            Entry("list.first", "First", "First row (detail: top)", namespace=""),
            Entry("list.last", "Last", "Last row (detail: bottom)", namespace=""),
            Entry("pane-next", "Next pane", "Focus the next pane", "pane_next"),
            Entry("pane-previous", "Previous pane", "Focus the previous pane", "pane_previous"),
            Entry("pane-left", "Pane left", "Focus the pane to the left", "pane_left"),
            Entry("pane-right", "Pane right", "Focus the pane to the right", "pane_right"),
            Entry("open", "Open paper", "Open the paper (detail pane; marks it read)", "open"),
            Entry("back", "Back", "Back a pane; leave the bookmarks view", "back"),
            Entry(
                "detail-page-down",
                "Scroll detail down",
                "Scroll the detail a page down",
                "detail_page_down",
            ),
            Entry(
                "detail-page-up",
                "Scroll detail up",
                "Scroll the detail a page up",
                "detail_page_up",
            ),
            Entry("previous-day", "Previous day", "Previous (newer) day", "previous_day"),
            Entry("next-day", "Next day", "Next (older) day", "next_day"),
            Entry(
                "next-unread",
                "Next unread",
                "Next unread paper, then on into older days",
                "next_unread",
            ),
            Entry(
                "previous-unread",
                "Previous unread",
                "Previous unread paper, back into newer days",
                "previous_unread",
            ),
        ],
    ),
    (
        "Reading",
        [
            Entry("toggle-read", "Toggle read", "Mark the paper read / unread", "toggle_read"),
            Entry(
                "toggle-bookmark",
                "Toggle bookmark",
                "Bookmark / unbookmark the paper",
                "toggle_bookmark",
            ),
            Entry(
                "mark-all-read",
                "Mark day read",
                "Mark every paper of the day (or list) read",
                "mark_all_read",
            ),
            Entry("undo", "Undo", "Undo the last read/bookmark change (several levels)", "undo"),
        ],
    ),
    (
        "Views",
        [
            Entry(
                "unread-only",
                "Unread only",
                "Show only unread papers (toggle)",
                "toggle_unread_only",
            ),
            Entry(
                "bookmarks",
                "Bookmarks",
                "All bookmarked papers, newest first (toggle)",
                "toggle_bookmarks",
            ),
            Entry(
                "sort",
                "Cycle sort",
                "Sort papers by votes / title / digest order / for you",
                "cycle_sort",
            ),
            Entry("zoom", "Zoom reader", "The paper alone, full width (z again: back)",
                  "toggle_zoom"),
            *(Entry(f"related-{n}", f"Related paper {n}",
                    f"Open related paper {n} (the detail pane's Related section)",
                    f"open_related({n})") for n in range(1, 6)),
        ],
    ),
    (
        "Keep",
        [
            Entry("note", "Edit note", "Write a note on the paper (Ctrl+S saves)", "edit_note"),
            Entry("tags", "Edit tags", "Tag the paper (comma-separated, completes)", "edit_tags"),
            Entry("tag-view", "Tag view", "Every tag with its papers", "tag_view"),
            Entry("export", "Export list", "Export the list: BibTeX, Markdown, CSV, JSON",
                  "export_list"),
            Entry("stats", "Statistics", "Papers per day, votes, authors, progress", "stats"),
            Entry("update", "Update digests",
                  "Fetch new days from the digest repository (papers update)", "update"),
        ],
    ),
    (
        "Links",
        [
            Entry(
                "open-browser",
                "Open in browser",
                "Open the arXiv page (copied if no browser)",
                "open_browser",
            ),
            Entry("copy-link", "Copy link", "Copy the paper's link (OSC 52)", "copy_link"),
        ],
    ),
    (
        "Search (/) and authors (@)",
        [
            Entry("search.down", "Next result", "Next result (after ↑: back to newer searches)",
                  namespace=""),
            Entry("search.up", "Previous result", "Previous result; in an empty box: recent "
                  "searches", namespace=""),
            Entry("search.next", "Next result", "Next result, also while walking recent searches",
                  namespace=""),
            Entry("search.page-down", "Page down", "Ten results down", namespace=""),
            Entry("search.page-up", "Page up", "Ten results up", namespace=""),
            Entry("search.open", "Open result", "Show the paper in its day (marks it read)",
                  namespace=""),
            Entry("search.close", "Back", "Back to the reader, as it was (authors: a level)",
                  namespace=""),
        ],
    ),
    (
        "App",
        [
            Entry("search", "Search", "Search titles, authors, summaries (a: t: d: v>50 ...)",
                  "search", "app"),
            Entry("authors", "Authors", "Author index: every author, then their papers",
                  "authors", "app"),
            Entry("help", "Help", "This list of keys", "help", "app"),
            Entry(
                "command-palette",
                "Command palette",
                "Every action by name",
                "command_palette",
                "app",
            ),
            Entry("quit", "Quit", "Quit the reader", "quit", "app"),
        ],
    ),
]


def entries() -> list[Entry]:
    return [entry for _, section in SECTIONS for entry in section]
