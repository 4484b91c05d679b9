"""Pilot tests for search (``/``), the author index (``@``) and papers in the palette.

The bundled sample (5 days, 75 papers) is imported by ``Store.open``; Depth Anything V2
(2406.09414) is on 2024-06-14 and its summary talks about 깊이 추정.
"""

from __future__ import annotations

from conftest import main, settle
from store.db import Store
from tui.app import PapersApp
from tui.screens.authors import AuthorScreen
from tui.screens.main import MainScreen
from tui.screens.search import SearchScreen
from tui.searching import HISTORY_KEY, load_history, remember

SIZE = (100, 30)
DEPTH = "2406.09414"
DEPTH_DAY = "2024-06-14"
OLDER_DAY = "2024-04-15"


async def wait_results(pilot, screen: SearchScreen, query: str | None = None) -> None:
    """Wait until the worker has painted results for the box's query."""
    want = (query if query is not None else screen.input.value).strip()
    for _ in range(100):
        await pilot.pause(0.02)
        if screen.shown_query == want and not screen.workers:
            break
    await pilot.pause(0.08)  # the preview timer


async def open_search(pilot, app) -> SearchScreen:
    await settle(pilot)
    await pilot.press("slash")
    await settle(pilot, 0.1)
    screen = app.screen
    assert isinstance(screen, SearchScreen)
    assert app.focused is screen.input
    return screen


async def type_query(pilot, screen: SearchScreen, text: str) -> None:
    await pilot.press(*text)
    await wait_results(pilot, screen, text)


def result_titles(screen: SearchScreen) -> list[str]:
    return [row.title for row in screen.results.rows]


# ---------------------------------------------------------------- ranking
async def test_typing_shows_ranked_results_with_highlighted_title_and_preview(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, app)
        await type_query(pilot, screen, "depth anything")
        rows = screen.results.rows
        assert rows and rows[0].id == DEPTH
        assert rows[0].title == "Depth Anything V2"
        assert rows[0].field == "title" and rows[0].spans
        assert screen.preview.paper is not None and screen.preview.paper.id == DEPTH
        text = screen_text(app)
        assert "Depth Anything V2" in text and DEPTH_DAY in text
        assert "result" in str(screen.status.render())
        # the matched characters are styled in the row
        prompt = screen.results.row_text(0)
        styled = [prompt.plain[s.start:s.end] for s in prompt.spans if s.style]
        assert "Depth" in styled and "Anything" in styled


async def test_typo_finds_depth_anything(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, app)
        await type_query(pilot, screen, "depht anyting")
        assert result_titles(screen)[0] == "Depth Anything V2"


async def test_korean_choseong_finds_it_with_a_snippet(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, app)
        await type_query(pilot, screen, "ㄱㅇ ㅊㅈ")
        rows = screen.results.rows
        assert rows[0].id == DEPTH  # the most voted of the papers that match
        depth = rows[0]
        assert depth.field == "summary" and "깊이 추정" in depth.snippet
        assert "summary ·" in screen_text(app)
        # the words the initials matched are highlighted in the snippet
        prompt = screen.results.row_text(0)
        line2 = prompt.plain.index("\n")
        styled = {prompt.plain[s.start:s.end] for s in prompt.spans
                  if s.start > line2 and "underline" in str(s.style)}
        assert {"깊이", "추정"} <= styled


async def test_author_match_shows_the_author_as_snippet(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, app)
        await type_query(pilot, screen, "zilong huang")
        first = screen.results.rows[0]
        assert first.id == DEPTH and first.field == "authors"
        assert first.snippet == "Zilong Huang"
        assert "authors · Zilong Huang" in screen.results.row_text(0).plain


async def test_no_results_shows_a_no_matches_line(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, app)
        await type_query(pilot, screen, "xyzzyqq")
        assert screen.results.rows == []
        assert "No matches for “xyzzyqq”" in screen_text(app)


async def test_markup_like_query_is_shown_literally(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, app)
        await type_query(pilot, screen, "[bold]x")
        text = screen_text(app)
        assert "[bold]x" in text  # in the box and in the "no matches" line
        assert "No matches for “[bold]x”" in text


async def test_burst_of_keystrokes_ends_with_results_for_the_final_query(store, monkeypatch):
    import time

    ranked: list[str] = []
    real_search = store.search

    def slow_search(query, limit=50):
        ranked.append(query)
        time.sleep(0.05)  # slower than the keystrokes arrive
        return real_search(query, limit)

    monkeypatch.setattr(store, "search", slow_search)
    painted: list[tuple[str, str]] = []
    original = SearchScreen._paint

    def spy(self, generation, query, rows, elapsed, error=None):
        if generation == self.generation:
            painted.append((query, self.input.value.strip()))
        original(self, generation, query, rows, elapsed, error)

    monkeypatch.setattr(SearchScreen, "_paint", spy)
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, app)
        final = "depth anything v2"
        await pilot.press(*final)  # no pauses: each key supersedes the last
        await wait_results(pilot, screen, final)
        await settle(pilot, 0.3)  # anything stale would have arrived by now
        assert screen.input.value == final
        assert screen.shown_query == final
        hits = real_search(final, 50)  # then the papers lacking a word, after them
        assert [r.id for r in screen.results.rows] == [h.id for h in hits + hits.partial]
        assert screen.results.rows[0].id == DEPTH
        # only results for the query in the box at that moment were ever painted
        assert painted and painted[-1] == (final, final)
        assert all(query == box for query, box in painted)

        # a burst that arrives all at once ranks once
        ranked.clear()
        painted.clear()
        for i in range(1, len("ㄱㅇ ㅊㅈ") + 1):
            screen.input.value = "ㄱㅇ ㅊㅈ"[:i]
        await wait_results(pilot, screen, "ㄱㅇ ㅊㅈ")
        assert ranked == ["ㄱㅇ ㅊㅈ"]
        assert painted == [("ㄱㅇ ㅊㅈ", "ㄱㅇ ㅊㅈ")]


# ---------------------------------------------------------------- moving and choosing
async def test_enter_jumps_to_the_paper_in_its_day_and_marks_it_read(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket")  # another day first
        await settle(pilot)
        assert main(app).day == OLDER_DAY
        assert not store.is_read(DEPTH)
        screen = await open_search(pilot, app)
        await type_query(pilot, screen, "depth anything")
        await pilot.press("enter")
        await settle(pilot)
        reader = main(app)
        assert app.screen is reader
        assert reader.day == DEPTH_DAY
        assert reader.day_list.current_date == DEPTH_DAY
        assert reader.paper_list.current.id == DEPTH
        assert reader.detail.paper.id == DEPTH
        assert store.is_read(DEPTH)
        assert Store.open(store.home, sample=False).is_read(DEPTH)  # on disk


async def test_down_moves_in_results_while_typing_and_enter_opens_that_one(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, app)
        await type_query(pilot, screen, "depth")
        rows = screen.results.rows
        assert len(rows) >= 2
        await pilot.press("down")
        await settle(pilot)
        assert app.focused is screen.input  # still typing
        assert screen.results.highlighted == 1
        assert screen.preview.paper.id == rows[1].id
        await pilot.press("ctrl+n", "up", "up")
        await settle(pilot)
        assert screen.results.highlighted == 0
        await pilot.press("down", "enter")
        await settle(pilot)
        assert main(app).paper_list.current.id == rows[1].id


async def test_tab_focuses_results_and_typing_there_goes_back_to_the_box(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, app)
        await type_query(pilot, screen, "depth")
        await pilot.press("tab")
        await settle(pilot)
        assert app.focused is screen.results
        await pilot.press("down")
        await settle(pilot)
        assert screen.results.highlighted == 1
        await pilot.press("q")  # typed, not "quit"
        await settle(pilot)
        assert app.return_code is None
        assert app.focused is screen.input and screen.input.value == "depthq"


async def test_escape_returns_with_the_reader_unchanged(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "j", "j")
        await settle(pilot)
        reader = main(app)
        before = (reader.day, reader.paper_list.current.id, reader.detail.paper.id,
                  app.focused, reader.mode)
        read_before = {pid: store.is_read(pid) for pid in store.ids()}
        screen = await open_search(pilot, app)
        await type_query(pilot, screen, "depth")
        await pilot.press("down", "escape")
        await settle(pilot)
        assert app.screen is reader
        after = (reader.day, reader.paper_list.current.id, reader.detail.paper.id,
                 app.focused, reader.mode)
        assert after == before
        assert {pid: store.is_read(pid) for pid in store.ids()} == read_before


# ---------------------------------------------------------------- recent queries
async def test_recent_queries_persist_and_up_recalls_them(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, app)
        await type_query(pilot, screen, "depth")
        await pilot.press("enter")
        await settle(pilot)
        screen = await open_search(pilot, app)
        await type_query(pilot, screen, "zilong")
        await pilot.press("escape")  # leaving with results also remembers the query
        await settle(pilot)
    assert load_history(Store.open(store.home, sample=False)) == ["zilong", "depth"]

    again = PapersApp(Store.open(store.home, sample=False))
    async with again.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, again)
        assert screen.input.value == ""
        text = screen_text(again)
        assert "Recent searches" in text and "zilong" in text and "depth" in text
        await pilot.press("up")
        await wait_results(pilot, screen, "zilong")
        assert screen.input.value == "zilong"
        assert screen.results.rows and screen.results.rows[0].id == DEPTH
        await pilot.press("up")
        await wait_results(pilot, screen, "depth")
        assert screen.input.value == "depth"
        await pilot.press("up")  # no older query: stays
        await settle(pilot)
        assert screen.input.value == "depth"
        await pilot.press("down")
        await settle(pilot)
        assert screen.input.value == "zilong"
        await pilot.press("down")
        await settle(pilot)
        assert screen.input.value == ""


def test_history_is_deduplicated_most_recent_first_and_capped(store):
    for i in range(60):
        remember(store, f"q{i}")
    remember(store, "q10")
    remember(store, "  ")
    history = load_history(store)
    assert history[0] == "q10" and history[1] == "q59"
    assert len(history) == 50 and len(set(history)) == 50
    store.ui_set(HISTORY_KEY, "junk")
    assert load_history(store) == []


# ---------------------------------------------------------------- author index
async def test_at_author_index_lists_prolific_authors_then_papers(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("at")
        await settle(pilot, 0.3)
        screen = app.screen
        assert isinstance(screen, AuthorScreen)
        counts = [c for _, c in screen.names.items]
        assert len(counts) == len(store.index.authors())
        assert counts == sorted(counts, reverse=True)
        await pilot.press(*"zilong hunag")  # a typo
        for _ in range(50):
            await pilot.pause(0.03)
            if screen.shown_query == "zilong hunag":
                break
        await settle(pilot)
        assert screen.names.current == "Zilong Huang"
        assert [p.id for p in screen.papers.papers] == [DEPTH]
        await pilot.press("enter")
        await settle(pilot)
        assert screen.level == "papers" and app.focused is screen.papers
        assert screen.preview.paper.id == DEPTH
        assert "Papers by Zilong Huang" in screen_text(app)
        await pilot.press("escape")  # back a level
        await settle(pilot)
        assert screen.level == "authors" and app.screen is screen
        assert screen.input.value == "zilong hunag"
        await pilot.press("enter", "enter")
        await settle(pilot)
        reader = main(app)
        assert app.screen is reader
        assert reader.paper_list.current.id == DEPTH and reader.day == DEPTH_DAY
        assert store.is_read(DEPTH)


async def test_author_papers_are_newest_first_and_escape_twice_returns(store):
    name, count = next((a, c) for a, c in store.index.authors() if c >= 3)
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = main(app)
        before = (reader.day, reader.paper_list.current.id)
        await pilot.press("at")
        await settle(pilot)
        screen = app.screen
        await pilot.press(*name)
        for _ in range(50):
            await pilot.pause(0.03)
            if screen.shown_query == name:
                break
        await pilot.press("enter")
        await settle(pilot)
        dates = [p.dates[0] for p in screen.papers.papers]
        assert len(dates) == count and dates == sorted(dates, reverse=True)
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert app.screen is reader
        assert (reader.day, reader.paper_list.current.id) == before


async def test_unknown_author_says_so(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("at")
        await settle(pilot)
        screen = app.screen
        await pilot.press(*"[b]qqqq")
        for _ in range(50):
            await pilot.pause(0.03)
            if screen.shown_query == "[b]qqqq":
                break
        await settle(pilot)
        assert "No author matches “[b]qqqq”" in screen_text(app)
        await pilot.press("enter")  # nothing to choose: stays
        await settle(pilot)
        assert app.screen is screen and screen.level == "authors"


# ---------------------------------------------------------------- palette
async def test_palette_finds_a_paper_by_title_and_opens_it(store):
    from textual.command import CommandPalette

    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"depth anything")
        await pilot.pause(0.6)
        palette = app.screen
        from textual.widgets import OptionList

        options = palette.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt)
                   for i in range(options.option_count)]
        assert any("Open: Depth Anything V2" in p for p in prompts), prompts
        await pilot.press("enter")
        await settle(pilot, 0.3)
        reader = main(app)
        assert app.screen is reader
        assert reader.paper_list.current.id == DEPTH and reader.detail.paper.id == DEPTH


async def test_palette_finds_a_paper_by_author(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"zilong huang")
        await pilot.pause(0.6)
        from textual.widgets import OptionList

        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt)
                   for i in range(options.option_count)]
        assert any("Open: Depth Anything V2" in p for p in prompts), prompts


async def test_palette_from_the_search_screen_opens_the_paper_in_the_reader(store):
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await open_search(pilot, app)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"depth anything")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await settle(pilot, 0.3)
        reader = main(app)
        assert app.screen is reader and len(app.screen_stack) == 2
        assert reader.paper_list.current.id == DEPTH


# ---------------------------------------------------------------- help
async def test_help_lists_search_and_authors_keys(store, screen_text):
    app = PapersApp(store)
    async with app.run_test(size=(100, 80)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        text = screen_text(app)
        assert "Author index: every author, then their papers" in text
        assert "Search titles, authors, summaries" in text
        assert "@" in text


# ---------------------------------------------------------------- data is data
async def test_hostile_titles_and_authors_are_shown_literally(hostile_store, screen_text):
    app = PapersApp(hostile_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, app)
        await type_query(pilot, screen, "mallory")
        text = screen_text(app)
        assert "[IDK] Token" in text
        assert "authors · Mallory [bold red]Evil[/]" in text
        await pilot.press("ctrl+a", "ctrl+k")
        await type_query(pilot, screen, "quit me")
        assert "[@click=app.quit]Quit me[/]" in screen_text(app)
        assert app.return_code is None
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("at")
        await settle(pilot, 0.3)
        assert "Mallory [bold red]Evil[/]" in screen_text(app)


async def test_empty_corpus_search_and_authors_say_so(tmp_path, screen_text):
    empty = Store.open(tmp_path / "empty", sample=False)
    app = PapersApp(empty)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_search(pilot, app)
        await type_query(pilot, screen, "depth")
        assert "No matches for “depth”" in screen_text(app)
        await pilot.press("enter")  # nothing to open
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("at")
        await settle(pilot, 0.3)
        assert "No authors yet" in screen_text(app)
        await pilot.press("enter", "escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_narrow_terminal_hides_the_preview(store):
    app = PapersApp(store)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = await open_search(pilot, app)
        await type_query(pilot, screen, "depth")
        assert not screen.preview.display or screen.preview.size.width == 0
        assert screen.results.rows[0].id == DEPTH
        await pilot.press("enter")
        await settle(pilot)
        assert main(app).detail.paper.id == DEPTH


async def test_a_broad_query_lists_all_fifty_results(tmp_path):
    """Rows below the screen are added after the first frame, and all of them arrive."""
    app = PapersApp(Store.open(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_search(pilot, app)
        await type_query(pilot, screen, "s:모델")
        await settle(pilot)
        assert len(screen.results.rows) == 50
        assert screen.results.row_count == 50
        assert screen.results.border_title == "Results 50+"
        screen.results.highlighted = 49
        assert screen.results.current_row is screen.results.rows[49]
