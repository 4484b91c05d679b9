"""The search index a reader has loaded: kept while nothing changes, read again when
another process rewrites it; loaded in sections only as they are needed."""

from __future__ import annotations

from store.db import SAMPLE_DIR, Store


def _days():
    return sorted(SAMPLE_DIR.glob("20*.md"))


def test_a_poll_with_nothing_changed_keeps_the_loaded_index(home):
    Store.open(home, sample=False).import_paths(_days())
    reader = Store.open(home, sample=False)
    assert reader.search("diffusion")  # the index is read
    index = reader.engine.index
    for _ in range(3):  # the reader polls every two seconds
        assert not reader.poll()
    assert reader.engine.loaded and reader.engine.index is index


def test_a_poll_after_another_process_updates_reads_the_new_index(home):
    days = _days()
    Store.open(home, sample=False).import_paths(days[:-1])
    reader = Store.open(home, sample=False)
    assert reader.search("diffusion")  # loaded before the other process writes
    reader.poll()
    newest = Store.open(home, sample=False)
    newest.import_paths(days[-1:])
    paper = newest.day_papers("2024-06-14")[0]
    assert paper.id not in [h.id for h in reader.search("t:" + paper.title)]
    changes = reader.poll()
    assert changes.corpus and changes.days_added == ["2024-06-14"]
    assert paper.id in [h.id for h in reader.search("t:" + paper.title)]


def test_the_readers_own_import_is_not_read_back(home):
    days = _days()
    Store.open(home, sample=False).import_paths(days[:-1])
    reader = Store.open(home, sample=False)
    reader.search("diffusion")
    reader.poll()
    reader.import_paths(days[-1:])  # `R` in the reader: the index updated in place
    index = reader.engine.index
    reader.poll()
    assert reader.engine.index is index


def _built(home):
    from store.search import SearchIndex

    store = Store.open(home, sample=False)
    store.import_paths(_days())
    return store, SearchIndex.build(store.papers())


def test_an_index_read_from_its_file_is_the_index_that_was_written(home, tmp_path):
    from store.search import SearchIndex

    _, built = _built(home)
    path = tmp_path / "search.idx"
    path.write_bytes(built.to_bytes())
    mapped = SearchIndex.open(path)
    for q in ("diffusion", "확산 모델", "ㅎㅅ", "a:kaiming", "reinforcment lerning", "v>50"):
        assert [h.id for h in mapped.search(q)] == [h.id for h in built.search(q)], q
    assert list(mapped.dates) == built.dates and list(mapped.authors_) == built.authors_
    assert (mapped.gloss_en, mapped.gloss_ko) == (built.gloss_en, built.gloss_ko)
    assert mapped.to_bytes() == built.to_bytes()
    assert mapped.authors()[:5] == built.authors()[:5]


def test_a_damaged_or_cut_index_file_is_rebuilt_and_search_still_answers(home):
    _, built = _built(home)
    data = (home / "search.idx").read_bytes()
    for bad in (data[: len(data) // 2], data[:20], b"", data[:16] + b"\xff" * 64):
        (home / "search.idx").write_bytes(bad)
        reader = Store.open(home, sample=False)
        assert built.ids[0] in [h.id for h in reader.search("t:" + built.titles[0])]
        assert (home / "search.idx").read_bytes() == built.to_bytes()  # written again


def test_postings_read_back_from_their_byte_planes_are_the_numbers_written():
    import zlib
    from array import array

    from store.search.planes import from_planes, planes

    for code, numbers in (("H", [0, 1, 255, 256, 4097, 65535]),
                          ("I", [0, 70000, 1 << 24, (1 << 32) - 1])):
        written = array(code, numbers)
        packed = zlib.compress(planes(written))
        back = memoryview(from_planes(packed, code, len(numbers))).cast(code)
        assert back.tolist() == numbers


def test_an_index_file_of_an_older_format_is_rebuilt(home):
    from store.search import SearchIndex

    Store.open(home, sample=False).import_paths(_days())
    path = home / "search.idx"
    data = path.read_bytes()
    magic = SearchIndex._MAGIC
    path.write_bytes(magic[:-1] + bytes([magic[-1] - 1]) + data[len(magic):])
    reader = Store.open(home, sample=False)
    assert [h.id for h in reader.search("diffusion")]  # rebuilt from the corpus
    assert path.read_bytes().startswith(magic)


def test_postings_stored_as_they_are_above_the_planes_limit_read_back_and_update(
        home, monkeypatch):
    from store.index_update import updated
    from store.search import SearchIndex
    from store.search import planes as planes_module

    store = Store.open(home, sample=False)
    store.import_paths(_days()[:-1])
    before = list(store.papers())
    store.import_paths(_days()[-1:])
    after = list(store.papers())
    monkeypatch.setattr(planes_module, "PLANES_MAX", 0)  # every index counts as large
    data = SearchIndex.build(before).to_bytes()
    read = SearchIndex.from_bytes(data)
    assert not isinstance(read.postings[2], type(lambda: 0))  # a view of the file
    assert read.to_bytes() == data
    assert [h.id for h in read.search("diffusion")] == \
        [h.id for h in SearchIndex.build(before).search("diffusion")]
    new = [p for p in after if p.id not in {q.id for q in before}]
    assert updated(read, new).to_bytes() == SearchIndex.build(after).to_bytes()


def test_the_glossary_read_back_from_its_lines_answers_as_the_tables_written():
    from store.search.glossary import GlossMap

    en = {"reinforcement learning": ["강화 학습"], "fine tuning": ["미세 조정", "파인 튜닝"],
          "odd\tkey": ["with\nnewline"]}
    back = GlossMap(GlossMap.pack(en))
    assert back.get("reinforcement learning") == ["강화 학습"]
    assert back["fine tuning"] == ["미세 조정", "파인 튜닝"]
    assert back.get("odd key") == ["with newline"]  # a tab or newline inside became a space
    assert back.get("missing") is None and "missing" not in back
    assert len(back) == 3 and sorted(back) == sorted(["reinforcement learning", "fine tuning",
                                                      "odd key"])
    empty = GlossMap(GlossMap.pack({}))
    assert len(empty) == 0 and not empty and empty.get("x") is None
