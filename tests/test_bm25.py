"""Swedish BM25: stems, stopwords, compounds, hyphens, filters, save/load without pickle."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.errors import IndexFolderError
from assistant.search.bm25 import BM25Index, SwedishAnalyzer

TEXTS = [
    "Kommunen saknar en digitaliseringsstrategi och en handlingsplan.",
    "Kommunens strategi för digitalisering följs upp av kommunstyrelsen varje år.",
    "Nämnderna behöver stärka sin IT-kompetens och sin informationssäkerhet.",
    "Utbildningsnämnden har inga mål för digitaliseringen.",
    "Budgeten för digitaliseringsfonden uppgår till 4 mnkr.",
    "Socialnämnden har en plan. Utbildning ges till alla nämnder.",
    "Kommunstyrelsen ansvarar. Kommun och styrelse samverkar om strategi.",
]


@pytest.fixture(scope="module")
def index() -> BM25Index:
    return BM25Index.build(TEXTS)


def test_stemming_and_stopwords() -> None:
    a = SwedishAnalyzer()
    assert a.terms("Nämnderna och nämnden") == a.terms("nämnder nämnd")[:1] * 2
    assert a.terms("och att det som") == []


def test_hyphenated_words_give_parts_and_joined_form() -> None:
    words = SwedishAnalyzer.words("IT-kompetens")
    assert words == ["it", "kompetens", "itkompetens"]


def test_compounds_split_against_vocabulary() -> None:
    a = SwedishAnalyzer({"digitalisering", "strategi", "utbildning", "nämnden", "kommun"})
    assert a.split("digitaliseringsstrategi") == ("digitalisering", "strategi")
    assert a.split("utbildningsnämnden") == ("utbildning", "nämnden")
    assert a.split("okändord") == ()


def test_split_compound_meets_separate_words(index: BM25Index) -> None:
    # the compound in row 0 and the phrase in row 1 both answer either form
    rows = {r for r, _ in index.search("digitaliseringsstrategi", 3)}
    assert {0, 1} <= rows
    rows = {r for r, _ in index.search("strategi för digitalisering", 3)}
    assert {0, 1} <= rows


def test_it_kompetens_with_and_without_hyphen(index: BM25Index) -> None:
    assert index.search("IT kompetens", 1)[0][0] == 2
    assert index.search("itkompetens", 1)[0][0] == 2


def test_filters_still_fill_k(index: BM25Index) -> None:
    allowed = np.zeros(len(TEXTS), dtype=bool)
    allowed[[4, 5]] = True
    rows = [r for r, _ in index.search("digitalisering nämnder", 5, allowed)]
    assert set(rows) <= {4, 5} and rows


def test_scores_sorted_and_positive(index: BM25Index) -> None:
    hits = index.search("kommunstyrelsen digitalisering", 10)
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)


@pytest.mark.parametrize(
    "query",
    ["", "   ", "och att det", "?!.,;", "ordsomintefinns", "x" * 100_000],
    ids=["empty", "blank", "stopwords", "punctuation", "unknown", "100k-chars"],
)
def test_bad_queries_give_empty_results(index: BM25Index, query: str) -> None:
    assert index.search(query, 5) == []


def test_long_query_is_bounded(index: BM25Index) -> None:
    assert isinstance(index.search("digitalisering " * 20_000, 3), list)


def test_save_load_round_trip_without_pickle(index: BM25Index, tmp_path: Path) -> None:
    index.save(tmp_path / "bm25")
    for path in (tmp_path / "bm25").glob("*.npy"):
        np.load(path, allow_pickle=False)
    loaded = BM25Index.load(tmp_path / "bm25")
    assert loaded.search("IT kompetens", 3) == index.search("IT kompetens", 3)


def test_corrupt_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(IndexFolderError, match="granska index"):
        BM25Index.load(tmp_path / "nothing")
