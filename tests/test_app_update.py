"""New days in the open reader: another process's import, `R`, and the "new" marks."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys

import pytest

from store.db import SAMPLE_DIR, Store
from store.update import run_update
from tui.app import PapersApp
from tui.screens.main import MainScreen

SIZE = (100, 30)
NEW_DAY = "2024-06-14"
OLD_DAYS = ["2023-12-14", "2024-02-20", "2024-04-12", "2024-04-15"]


def main(app) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


async def wait_for(pilot, condition, limit: float = 15.0) -> bool:
    """Let the app run until ``condition()`` holds (a bounded wait, not a fixed sleep)."""
    for _ in range(int(limit / 0.05)):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


def has_day(app, date: str) -> bool:
    return date in [d.date for d in main(app).day_list.days]


def day_row(app, date: str) -> str:
    day_list = main(app).day_list
    return day_list.render_row(day_list.index_of(date), 23).plain


@pytest.fixture
def four_days(home) -> Store:
    store = Store.open(home, sample=False)
    store.import_paths([SAMPLE_DIR / f"{d}.md" for d in OLD_DAYS])
    return store


async def test_an_import_by_another_process_shows_up_with_the_cursor_kept(
        four_days, home, screen_text):
    app = PapersApp(Store.open(home, sample=False))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("j", "j")
        await pilot.pause(0.12)
        screen = main(app)
        day, paper = screen.day, screen.paper_list.current.id
        assert day == "2024-04-15" and not has_day(app, NEW_DAY)
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tui.cli", "import", str(SAMPLE_DIR / f"{NEW_DAY}.md"),
            "--home", str(home), stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL)
        assert await proc.wait() == 0
        assert await wait_for(pilot, lambda: has_day(app, NEW_DAY))
        await pilot.pause(0.12)
        assert (screen.day, screen.paper_list.current.id) == (day, paper)
        assert screen.day_list.current_date == day
        text = screen_text(app)
        assert "│2024-06-14 new    30/30│" in text  # the new day, marked, at the top
        assert "2024-04-15 Mon" in text  # an old day keeps its weekday and no mark
        assert day_row(app, "2024-04-15").split()[1] == "Mon"
        assert screen.store.search("Depth Anything V2")  # the new papers are searchable
    assert Store.open(home, sample=False).new_days() == []  # the reader has seen it


async def test_days_added_since_the_last_run_are_marked_new_at_start(four_days, home,
                                                                   screen_text):
    four_days.mark_days_seen()  # as the reader does when it opens
    four_days.import_paths([SAMPLE_DIR / f"{NEW_DAY}.md"])
    assert Store.open(home, sample=False).new_days() == [NEW_DAY]
    app = PapersApp(Store.open(home, sample=False))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause(0.12)
        assert main(app).day == NEW_DAY  # opens on the newest day, as always
        text = screen_text(app)
        assert "│2024-06-14 new    30/30│" in text
        assert [ln for ln in text.splitlines() if " new " in ln[:26]] == [
            ln for ln in text.splitlines() if "2024-06-14 new" in ln]
    assert Store.open(home, sample=False).new_days() == []


def _git(repo, *args):
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t",
                    "-c", "commit.gpgsign=false", *args], check=True, capture_output=True)


def _upstream(tmp_path, days):
    repo = tmp_path / "upstream-src"
    for date in days:
        path = repo / "paper_logs" / date[:4] / date[5:7] / f"{date[8:]}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SAMPLE_DIR / f"{date}.md", path)
    if not (repo / ".git").exists():
        _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "days")
    return repo


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
async def test_R_updates_in_a_worker_and_the_new_day_appears(home, tmp_path, screen_text):
    repo = _upstream(tmp_path, OLD_DAYS)
    run_update(Store.open(home, sample=False), str(repo))  # the clone, source remembered
    app = PapersApp(Store.open(home, sample=False))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("j")
        await pilot.pause(0.12)
        screen = main(app)
        paper = screen.paper_list.current.id
        _upstream(tmp_path, [NEW_DAY])
        await pilot.press("R")
        assert await wait_for(pilot, lambda: has_day(app, NEW_DAY))
        done = "1 day added, 0 changed, 30 papers added"
        assert await wait_for(pilot, lambda: done in screen_text(app))  # the notification
        assert "│2024-06-14 new    30/30│" in screen_text(app)
        assert screen.paper_list.current.id == paper and screen.day == "2024-04-15"


async def test_a_failed_R_is_a_notification_and_the_reader_keeps_working(
        four_days, home, tmp_path, screen_text):
    (home / "upstream.json").write_text('{"source": "%s"}' % (tmp_path / "gone"))
    before = (home / "corpus.json").read_bytes()
    app = PapersApp(Store.open(home, sample=False))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause(0.12)
        await pilot.press("R")
        assert await wait_for(pilot, lambda: "Update failed" in screen_text(app))
        assert [n.message for n in app._notifications][-1] == (
            f"Update failed: no such repository: {tmp_path / 'gone'}")
        first = main(app).paper_list.current.id
        await pilot.press("j")
        await pilot.pause(0.12)
        assert main(app).paper_list.current.id != first  # still reading
    assert (home / "corpus.json").read_bytes() == before


async def test_a_paper_another_import_moves_to_a_newer_month_stays_in_sight(tmp_path,
                                                                           screen_text):
    """Another process's import lists a paper on a newer day, which moves its metadata to
    that month's shard: the open reader still shows it, with the newer figures, on both
    days (not absent until a restart)."""
    from test_corpus_shards import day, write

    src, home = tmp_path / "src", tmp_path / "home"
    write(src / "2024-05-31.md", day("2024-05-31", ("2405.00001", "Mover", 5),
                                     ("2405.00002", "Stayer", 1)))
    june = write(src / "2024-06-01.md", day("2024-06-01", ("2406.00003", "June", 2)))
    Store.open(home, sample=False).import_paths([src])
    app = PapersApp(Store.open(home, sample=False))
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press("right_square_bracket")  # the older day: May 31
        await pilot.pause(0.12)
        assert screen.day == "2024-05-31" and screen.paper_list.current.id == "2405.00001"
        assert "▲ 5 votes" in screen_text(app)
        write(june, day("2024-06-01", ("2406.00003", "June", 4), ("2405.00001", "Mover", 9)))
        Store.open(home, sample=False).import_paths([src])  # another process's import
        assert await wait_for(pilot, lambda: "▲ 9 votes" in screen_text(app))
        assert screen.paper_list.current.id == "2405.00001"
        assert [p.id for p in screen.paper_list.papers] == ["2405.00001", "2405.00002"]
        await pilot.press("left_square_bracket")  # the newer day lists it too
        await pilot.pause(0.12)
        assert screen.day == "2024-06-01"
        # by votes: the moved paper (9) first
        assert [p.id for p in screen.paper_list.papers] == ["2405.00001", "2406.00003"]
        text = screen_text(app)
        assert "Mover" in text and "▲ 9 votes" in text and "Mover 요약입니다." in text


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
async def test_R_with_nothing_new_computes_missing_related_papers_and_the_section_appears(
        home, tmp_path, screen_text):
    """A data directory from before related papers: the reader says how to get them; R
    (an update that brings no day) computes them, and the detail pane shows them."""
    repo = _upstream(tmp_path, OLD_DAYS)
    run_update(Store.open(home, sample=False), str(repo))
    (home / "related.bin").unlink()
    store = Store.open(home, sample=False)
    app = PapersApp(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = main(app)

        def pane() -> str:  # the detail pane's text, the part scrolled out of view too
            return " ".join(strip.text.strip() for strip in screen.detail.content_lines())

        assert await wait_for(pilot, lambda: store.related_missing)
        assert await wait_for(pilot, lambda: "Related papers: not computed yet" in pane())
        await pilot.press("R")
        assert await wait_for(pilot, lambda: "Up to date: no new days." in screen_text(app))
        assert (home / "related.bin").exists()
        assert await wait_for(pilot, lambda: "Related  (press a number to open)" in pane())
        assert screen.detail.related and "not computed yet" not in pane()
