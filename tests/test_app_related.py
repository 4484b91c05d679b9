"""The detail pane's "Related" section: the titles with their days, and a click on one
opens that paper in its day (the one route, ``PapersApp.show_paper``).  And the fourth
sort, "for you", which follows the bookmarks."""

from __future__ import annotations

from conftest import FIXTURES, messages, on_main, settle, wait_until
from store.db import Store
from tui.app import PapersApp

SIZE = (100, 30)
CORPUS = FIXTURES / "related"


async def related_shown(pilot, reader) -> None:
    """The lists are read a moment after start-up (screens/related.py): until the
    section is in the pane."""
    await wait_until(pilot, lambda: bool(reader.detail.related))
    await settle(pilot)


def pane_text(reader) -> list[str]:
    return [strip.text.rstrip() for strip in reader.detail.content_lines()]


def related_rows(lines: list[str]) -> list[str]:
    """The Related section's rows as read: "N day title" (a long title wraps under
    itself, beside its number and day)."""
    start = next(i for i, line in enumerate(lines) if line.startswith("Related"))
    rows: list[str] = []
    for line in lines[start + 1:]:
        if line[:2] == "  " and line[2:3].isdigit():
            rows.append(line.strip())
        elif line.startswith(" " * 15) and rows:
            rows[-1] += " " + line.strip()
        else:
            break
    return rows


async def test_the_related_section_lists_the_papers_of_the_topic(topics):
    app = PapersApp(topics)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = on_main(app)
        assert reader.detail.paper.title == "Editable Neural Radiance Fields"
        await related_shown(pilot, reader)
        lines = pane_text(reader)
        assert "Related  (press a number to open)" in lines
        rows = related_rows(lines)
        assert [r[:2] for r in rows] == ["1 ", "2 ", "3 "] + [f"{n} " for n in
                                                              range(4, len(rows) + 1)]
        assert rows[0] == "1 2024-01-03 Relighting Neural Radiance Fields from Sparse Views"
        assert sorted(r[2:] for r in rows[:3]) == [
            "2024-01-01 Fast Neural Radiance Fields for Dynamic Scenes",
            "2024-01-02 Compact Neural Radiance Fields with Hash Grids",
            "2024-01-03 Relighting Neural Radiance Fields from Sparse Views"]


async def test_a_number_key_opens_that_related_paper_in_its_day(topics, screen_text):
    """No mouse: the number beside a related title opens it, from the paper list."""
    app = PapersApp(topics)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = on_main(app)
        await related_shown(pilot, reader)
        rows = related_rows(pane_text(reader))
        number, day, title = rows[1].split(" ", 2)
        assert reader.paper_list.has_focus
        await pilot.press(number)
        await wait_until(pilot, lambda: reader.detail.paper.title == title)
        await settle(pilot)
        assert reader.day == day
        assert reader.paper_list.current.title == title
        region = reader.detail.region  # the paper's title heads the pane (wrapped)
        pane = [line[region.x:region.right].strip()
                for line in screen_text(app).splitlines()[region.y:region.bottom]]
        assert " ".join(pane[:2]).startswith(title)
        assert related_rows(pane_text(reader))  # its own related papers now
        await pilot.press("9")  # no such row: said, nothing moves
        await settle(pilot)
        assert reader.detail.paper.title == title


async def test_a_number_past_the_list_says_so(topics, tmp_path):
    lonely = tmp_path / "2024-02-01.md"
    lonely.write_text("## Daily Papers (2024-02-01)\n\n"
                      "### [Quantum Knitting Patterns](https://arxiv.org/abs/2402.00001)\n\n"
                      "Vote: 999\n\n- 뜨개질 패턴을 양자 컴퓨터로 설계한다.\n", encoding="utf-8")
    topics.import_paths([lonely])
    app = PapersApp(topics)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = on_main(app)
        assert reader.detail.paper.title == "Quantum Knitting Patterns"
        await wait_until(pilot, lambda: topics.related_ready)
        await settle(pilot)
        assert not any(line.startswith("Related") for line in pane_text(reader))
        await pilot.press("1")
        await settle(pilot)
        assert "No related paper 1." in messages(app)
        assert reader.detail.paper.title == "Quantum Knitting Patterns"


async def test_a_click_on_a_related_title_opens_that_paper_in_its_day(topics, screen_text):
    app = PapersApp(topics)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = on_main(app)
        await related_shown(pilot, reader)
        reader.detail.focus()
        await pilot.press("G")  # the end of the paper, where the section is
        await settle(pilot)
        screen = screen_text(app).splitlines()
        title = "Compact Neural Radiance Fields with Hash Grids"
        row = next(y for y, line in enumerate(screen) if "2024-01-02 Compact" in line)
        await pilot.click(offset=(screen[row].index("Compact") + 2, row))
        await wait_until(pilot, lambda: reader.day == "2024-01-02")
        await settle(pilot)
        assert reader.paper_list.current.id == "2401.00005"
        assert reader.detail.paper.title == title
        assert topics.is_read("2401.00005")
        region = reader.detail.region  # the paper's title heads the pane (wrapped)
        pane = [line[region.x:region.right].strip()
                for line in screen_text(app).splitlines()[region.y:region.bottom]]
        assert " ".join(pane[:2]).startswith(title)


async def test_for_you_is_the_fourth_sort_and_follows_a_bookmark(topics):
    app = PapersApp(topics)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = on_main(app)
        titles = lambda: [p.title for p in reader.paper_list.papers]  # noqa: E731
        assert titles()[0] == "Editable Neural Radiance Fields"  # by votes
        await pilot.press("s", "s", "s")  # votes -> title -> digest -> for you
        await settle(pilot)
        assert reader.model.sort == "for-you"
        assert any("Nothing kept yet" in m for m in messages(app))
        assert titles()[0] == "Editable Neural Radiance Fields"  # votes, as it said
        topics.set_bookmarked(["2401.00003", "2401.00007"])  # speech, earlier days
        await pilot.press("s", "s", "s", "s")  # once round: for you again
        await settle(pilot)
        assert reader.model.sort == "for-you"
        assert titles()[0] == "Noise-Robust Speech Recognition in the Wild"
        assert "for you" in str(reader.query_one("#papers").border_title)


async def test_a_bookmark_made_with_b_reorders_the_next_day_shown_for_you(topics):
    """For you follows what is kept in the reader itself: b on a robot paper of an
    earlier day, and back on the newest day the robot paper heads the list."""
    app = PapersApp(topics)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = on_main(app)
        first_row = lambda: reader.paper_list.render_row(0, 80).plain  # noqa: E731
        await pilot.press("s", "s", "s")  # for you (nothing kept yet: by votes)
        await settle(pilot)
        assert "Editable Neural Radiance Fields" in first_row()
        await pilot.press("right_square_bracket")  # the day before
        await settle(pilot)
        assert reader.day == "2024-01-03"
        at = [p.id for p in reader.paper_list.papers].index("2401.00010")  # robot
        await pilot.press(*["j"] * at, "b")
        await settle(pilot)
        assert topics.is_bookmarked("2401.00010")
        await pilot.press("left_square_bracket")  # back to the newest day
        await settle(pilot)
        assert reader.day == "2024-01-04"
        assert "Dexterous Robotic Manipulation at Scale" in first_row()
        assert "for you" in str(reader.query_one("#papers").border_title)


async def test_a_home_from_before_related_papers_says_how_to_get_them_and_reads_an_import(
        topics, home):
    """A data directory made before related papers: the reader never computes them (a
    full build at 55k is seconds of CPU and hundreds of MB), it says how to get them,
    for you falls back to votes and says why; another process's import brings them."""
    (home / "related.bin").unlink()
    (home / "related.terms").unlink()
    store = Store.open(home, sample=False)
    store.set_bookmarked(["2401.00003"])
    app = PapersApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = on_main(app)
        await wait_until(pilot, lambda: store.related_missing)
        await settle(pilot)
        text = " ".join(line.strip() for line in pane_text(reader))
        assert ("Related papers: not computed yet in this data directory (the next papers "
                "import, papers update or R computes them)") in text
        assert not any(line.startswith("Related  (press") for line in pane_text(reader))
        await pilot.press("s", "s", "s")  # for you: no lists, so by votes, and why
        await settle(pilot)
        assert reader.model.sort == "for-you"
        assert any(m.startswith("No related papers in this data directory yet") and
                   m.endswith("Sorted by votes.") for m in messages(app))
        assert reader.paper_list.papers[0].title == "Editable Neural Radiance Fields"
        await pilot.press("1")  # no related paper to open
        await settle(pilot)
        assert reader.detail.paper.title == "Editable Neural Radiance Fields"
        assert not (home / "related.bin").exists()  # the reader computed nothing
        Store.open(home, sample=False).import_paths([CORPUS])  # another process
        assert (home / "related.bin").exists()
        await related_shown(pilot, reader)  # the poll saw the new file
        lines = pane_text(reader)
        assert "Related  (press a number to open)" in lines
        assert related_rows(lines)[0] == (
            "1 2024-01-03 Relighting Neural Radiance Fields from Sparse Views")
        assert not any("not computed yet" in line for line in lines)
