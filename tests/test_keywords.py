"""Keyword options of the Swedish analyzer: lemmas (simplemma), compound parts (wordfreq),
what a build records, and builds that notice a change."""

from __future__ import annotations

import importlib.metadata
import json
import sys
from pathlib import Path

import pytest
from conftest import FakeEmbedder, PgDatabase

from assistant.errors import ConfigError, IndexFolderError
from assistant.indexing import build_index, index_status
from assistant.search import lexicons
from assistant.search.bm25 import BM25Index, KeywordOptions, SwedishAnalyzer, stored_keywords
from assistant.search.retriever import Retriever
from assistant.settings import Settings, get_settings
from assistant.store import folder as store
from assistant.store.folder_reader import FolderIndex
from assistant.store.pg_reader import PgIndex

LEMMAS = KeywordOptions(lemmas=True)
COMPOUNDS = KeywordOptions(compounds=True)


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("nämnderna", "nämnd"),
        ("kommunstyrelsens", "kommunstyrelse"),
        ("bedömer", "bedöma"),
        ("revisorerna", "revisor"),
        ("städer", "stad"),
        ("gjorde", "göra"),
        ("eskilstuna", "eskilstuna"),  # proper nouns come back lower-case
    ],
)
def test_lemmas(word: str, lemma: str) -> None:
    assert lexicons.lemma(word) == lemma


@pytest.mark.parametrize(
    ("word", "verb"),
    [
        ("använder", True),
        ("intervjuades", True),
        ("finns", True),
        ("ingår", True),
        ("svarade", True),
        ("tjänster", False),  # a plural noun
        ("skolor", False),  # a plural noun whose lemma ends in -a
        ("digitala", False),  # an adjective
        ("invånare", False),
        ("e-tjänster", False),
    ],
)
def test_verb_forms(word: str, verb: bool) -> None:
    assert lexicons.is_verb_form(word) is verb


@pytest.mark.parametrize(
    ("inflected", "base"), [("revisorerna", "revisor"), ("städer", "stad"), ("gjorde", "göra")]
)
def test_lemmas_join_forms_the_stemmer_keeps_apart(inflected: str, base: str) -> None:
    # Snowball cuts "revisor" to "revis" but "revisorerna" to "revisor"; "städer" and "stad",
    # "gjorde" and "göra" have no stem in common. The lemma's stem joins them.
    plain, lemmas = SwedishAnalyzer(), SwedishAnalyzer(options=LEMMAS)
    assert not set(plain.terms(inflected)) & set(plain.terms(base))
    assert set(lemmas.terms(inflected)) & set(lemmas.terms(base))
    assert lemmas.terms(inflected)[0] == plain.terms(inflected)[0]  # the stem stays first


def test_lemmas_add_no_duplicate_or_stopword_terms() -> None:
    a = SwedishAnalyzer(options=LEMMAS)
    assert a.terms("bedömer") == ["bedöm"]  # the lemma's stem is the word's stem
    assert a.terms("och att det som") == []
    assert a.lemma_stem("12") is None and SwedishAnalyzer().lemma_stem("städer") is None


def test_bm25_with_lemmas_finds_the_other_form() -> None:
    texts = ["Revisorerna har granskat digitaliseringen.", "Kommunen har tre städer."]
    assert BM25Index.build(texts).search("revisor", 2) == []
    assert BM25Index.build(texts, LEMMAS).search("revisor", 2)[0][0] == 0
    assert BM25Index.build(texts, LEMMAS).search("stad", 2)[0][0] == 1


def test_compounds_the_corpus_cannot_split_are_split_with_common_words() -> None:
    corpus = SwedishAnalyzer({"digitalisering", "arbete"}, COMPOUNDS)
    assert corpus.split("digitaliseringsarbete") == ("digitalisering", "arbete")
    assert corpus.lexicon_split("digitaliseringsarbete") == ()  # the corpus split is used
    assert corpus.split("digitaliseringsarbetet") == ()  # "arbetet" is not in the corpus
    assert corpus.lexicon_split("digitaliseringsarbetet") == ("digitalisering", "arbetet")
    empty = SwedishAnalyzer(options=COMPOUNDS)
    assert empty.lexicon_split("digitaliseringsarbete") == ("digitalisering", "arbete")
    terms = empty.terms("digitaliseringsarbete")
    assert {"digitalisering", "arbet"} <= set(terms)
    assert SwedishAnalyzer().lexicon_split("digitaliseringsarbete") == ()  # option off


@pytest.mark.parametrize(
    "word",
    ["nämnderna", "strategierna", "kostnader", "verksamheter", "it-stöd", "ab12cdefgh"],
    ids=["ending-erna", "ending-after-part", "common-word", "common-word-2", "hyphen", "digits"],
)
def test_words_and_endings_are_not_split_as_compounds(word: str) -> None:
    assert SwedishAnalyzer(options=COMPOUNDS).lexicon_split(word) == ()


def test_bm25_with_compounds_meets_the_separate_words() -> None:
    texts = ["Digitaliseringsarbetet leds av kommunstyrelsen.", "Arbete med budgeten pågår."]
    query = "arbete med digitalisering"
    assert [r for r, _ in BM25Index.build(texts).search(query, 2)] == [1]
    assert BM25Index.build(texts, COMPOUNDS).search(query, 2)[0][0] == 0


def test_options_are_saved_and_searched_with(tmp_path: Path) -> None:
    texts = ["Revisorerna har granskat digitaliseringen.", "Kommunen har tre städer."]
    BM25Index.build(texts, LEMMAS).save(tmp_path / "bm25")
    loaded = BM25Index.load(tmp_path / "bm25")
    assert loaded.analyzer.options == LEMMAS
    assert loaded.search("revisor", 2)[0][0] == 0
    assert stored_keywords(tmp_path / "bm25") == LEMMAS.signature()
    assert LEMMAS.signature()["lemmas"] == lexicons.package_version("simplemma")


def test_an_index_from_before_the_options_opens_without_them(tmp_path: Path) -> None:
    folder = tmp_path / "bm25"
    BM25Index.build(["Revisorerna har granskat digitaliseringen."]).save(folder)
    meta = json.loads((folder / "analyzer.json").read_text(encoding="utf-8"))
    del meta["keywords"]  # what builds before the keyword options wrote
    (folder / "analyzer.json").write_text(json.dumps(meta), encoding="utf-8")
    loaded = BM25Index.load(folder)
    assert loaded.analyzer.options == KeywordOptions()
    assert loaded.search("revisorerna", 1)[0][0] == 0
    assert stored_keywords(folder) == KeywordOptions().signature()
    assert stored_keywords(tmp_path / "missing") is None


@pytest.mark.parametrize("keywords", ["junk", ["lemmas"], 3, None])
def test_a_damaged_record_opens_without_options_and_is_stale(
    tmp_path: Path, keywords: object
) -> None:
    folder = tmp_path / "bm25"
    BM25Index.build(["Revisorerna har granskat digitaliseringen."], LEMMAS).save(folder)
    meta = json.loads((folder / "analyzer.json").read_text(encoding="utf-8"))
    meta["keywords"] = keywords
    (folder / "analyzer.json").write_text(json.dumps(meta), encoding="utf-8")
    assert BM25Index.load(folder).analyzer.options == KeywordOptions()
    assert stored_keywords(folder) != LEMMAS.signature()


def test_a_damaged_analyzer_file_is_an_index_error(tmp_path: Path) -> None:
    folder = tmp_path / "bm25"
    BM25Index.build(["Revisorerna har granskat digitaliseringen."], LEMMAS).save(folder)
    (folder / "analyzer.json").write_text('["keywords"]', encoding="utf-8")
    with pytest.raises(IndexFolderError, match="granska index"):
        BM25Index.load(folder)
    assert stored_keywords(folder) is None


def test_overlong_words_are_not_looked_up() -> None:
    a = SwedishAnalyzer(options=LEMMAS)
    assert a.lemma_stem("revisorerna" * 10) is None
    assert a.lemma_stem("revisorerna") == "revis"


def test_missing_package_is_a_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_installed(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    with pytest.raises(ConfigError, match="GRANSKA_KEYWORD_LEMMAS=false") as err:
        LEMMAS.signature()
    assert "\n" not in str(err.value)
    assert KeywordOptions().signature() == {"lemmas": False, "compounds": False}
    monkeypatch.setitem(sys.modules, "simplemma", None)  # import fails
    lexicons.lemma.cache_clear()
    with pytest.raises(ConfigError, match="'simplemma' package"):
        lexicons.lemma("nämnderna")
    lexicons.lemma.cache_clear()


def test_settings_default_to_lemmas_without_compounds(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (get_settings().keyword_lemmas, get_settings().keyword_compounds) == (True, False)
    monkeypatch.setenv("GRANSKA_KEYWORD_LEMMAS", "false")
    monkeypatch.setenv("GRANSKA_KEYWORD_COMPOUNDS", "true")
    assert (get_settings().keyword_lemmas, get_settings().keyword_compounds) == (False, True)


DOC = """Granskning av digitalisering

Alfa kommun

Sammanfattning

Revisorerna bedömer att kommunstyrelsen saknar en digitaliseringsstrategi.
"""


def test_changed_keyword_options_make_the_index_stale(
    tmp_path: Path, fake_embedder: FakeEmbedder
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "alfa-2021-granskning.txt").write_text(DOC, encoding="utf-8")
    off = Settings(corpus=corpus, index=tmp_path / "index", keyword_lemmas=False)
    on = off.model_copy(update={"keyword_lemmas": True})
    build_index(off, embedder=fake_embedder)
    assert build_index(off, embedder=fake_embedder).noop
    assert not index_status(off).keywords_changed
    r = Retriever.open(off.index, embedder=fake_embedder, settings=on)
    assert isinstance(r.index, FolderIndex)
    assert r.index.bm25.analyzer.options == KeywordOptions()  # searched as it was built
    assert index_status(on).keywords_changed and not index_status(on).stale
    embedded = fake_embedder.embedded
    report = build_index(on, embedder=fake_embedder)
    assert not report.noop and fake_embedder.embedded == embedded  # nothing re-embedded
    assert build_index(on, embedder=fake_embedder).noop
    build = store.current_build(on.index)
    assert build is not None and stored_keywords(build / "bm25") == LEMMAS.signature()
    r = Retriever.open(on.index, embedder=fake_embedder, settings=on)
    assert isinstance(r.index, FolderIndex)
    assert r.index.bm25.analyzer.options == LEMMAS
    assert r.search("revisor", k=1, retriever="bm25")


def test_database_builds_record_and_use_the_keyword_options(
    pg_db: PgDatabase, tmp_path: Path, fake_embedder: FakeEmbedder
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "alfa-2021-granskning.txt").write_text(DOC, encoding="utf-8")
    off = Settings(corpus=corpus, index=tmp_path / "unused", database_url=pg_db.writer)
    off = off.model_copy(update={"keyword_lemmas": False})
    on = off.model_copy(update={"keyword_lemmas": True})
    build_index(off, embedder=fake_embedder)
    assert build_index(off, embedder=fake_embedder).noop
    assert index_status(on).keywords_changed and not index_status(off).keywords_changed
    reader = on.model_copy(update={"database_url": pg_db.reader})
    r = Retriever.open(embedder=fake_embedder, settings=reader)
    assert isinstance(r.index, PgIndex)
    assert r.index.analyzer.options == KeywordOptions()  # searched as it was built
    assert not r.search("revisor", k=1, retriever="bm25")
    r.index.close()
    assert not build_index(on, embedder=fake_embedder).noop
    assert build_index(on, embedder=fake_embedder).noop
    r = Retriever.open(embedder=fake_embedder, settings=reader)
    assert isinstance(r.index, PgIndex)
    assert r.index.stats["keywords"] == LEMMAS.signature()
    assert r.index.analyzer.options == LEMMAS
    assert r.search("revisor", k=1, retriever="bm25")
    r.index.close()


def test_a_word_in_e_acute_is_one_term_with_its_definite_form() -> None:
    """The Swedish stemmer keeps "kommittén" apart from "kommitté": "Vilka ingår i
    digitaliseringskommittén?" must find "en digitaliseringskommitté bestående av …"."""
    from assistant.ingest.sentences import key_terms, matched_terms

    assert key_terms("digitaliseringskommittén kommitténs idén", "sv") == [
        "digitaliseringskommitté",
        "kommitté",
        "idé",
    ]
    terms = key_terms("digitaliseringskommittén", "sv")
    assert matched_terms(terms, "Det finns en digitaliseringskommitté bestående av tre.")


def test_a_noun_in_i_or_y_is_one_term_with_its_definite_form() -> None:
    """ "Hänvisar nämnderna till digitaliseringsstrategin?" must find "kommunens
    digitaliseringsstrategi 2021–2025"; words that only end in "-in" or "-yn" stay."""
    from assistant.ingest.sentences import key_terms, matched_terms

    assert key_terms("digitaliseringsstrategins policyn ekonomin", "sv") == [
        "digitaliseringsstrategi",
        "policy",
        "ekonomi",
    ]
    assert key_terms("tillsyn maskin", "sv") == ["tillsyn", "maskin"]
    terms = key_terms("digitaliseringsstrategin", "sv")
    assert matched_terms(terms, "I kommunens digitaliseringsstrategi 2021–2025 anges mål.")


def test_the_spring_is_no_topic_word() -> None:
    """ "carried out in spring 2022" is "under våren 2022": its stem "vår" is the "our" of
    every "Vår bedömning är att …", which would then hold the question's topic."""
    from assistant.ingest.sentences import key_terms

    assert key_terms("en extern analys under våren 2022", "sv") == ["extern", "analy"]
    assert key_terms("Vår bedömning av våra planer", "sv") == ["bedömning", "plan"]


def test_the_reports_and_their_light_verb_are_no_topic_words() -> None:
    """ "Hur tar rapporterna upp informationssäkerhet?" is about information security: not
    PwC's "annan som tar del av … denna rapport"."""
    from assistant.ingest.sentences import key_terms

    assert key_terms("Hur tar rapporterna upp informationssäkerhet?", "sv") == ["informationssäker"]
