"""The detail pane's "Related" section: the titles with their days, and a click on one
opens that paper in its day (the one route, ``PapersApp.show_paper``).  And the fourth
sort, "for you", which follows the bookmarks."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, messages, on_main, settle, wait_until
from store.db import Store
from tui.app import PapersApp

SIZE = (100, 30)
CORPUS = FIXTURES / "related"


@pytest.fixture
def topics(home) -> Store:
    s = Store.open(home, sample=False)
    s.import_paths([CORPUS])
    return s


def pane_text(reader) -> list[str]:
    return [strip.text.rstrip() for strip in reader.detail.content_lines()]


async def test_the_related_section_lists_the_papers_of_the_topic(topics):
    app = PapersApp(topics)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = on_main(app)
        assert reader.detail.paper.title == "Editable Neural Radiance Fields"
        lines = pane_text(reader)
        start = lines.index("Related")
        entries: list[str] = []  # a title wraps under itself, beside its day
        for line in lines[start + 1:]:
            if line.startswith("  2024-"):
                entries.append(line.strip())
            elif line.startswith(" " * 13) and entries:
                entries[-1] += " " + line.strip()
            else:
                break
        assert entries[0] == "2024-01-03 Relighting Neural Radiance Fields from Sparse Views"
        assert sorted(entries) == ["2024-01-01 Fast Neural Radiance Fields for Dynamic Scenes",
                         "2024-01-02 Compact Neural Radiance Fields with Hash Grids",
                         "2024-01-03 Relighting Neural Radiance Fields from Sparse Views"]


async def test_a_click_on_a_related_title_opens_that_paper_in_its_day(topics, screen_text):
    app = PapersApp(topics)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reader = on_main(app)
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
