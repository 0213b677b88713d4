"""Sentence spans joined with the lines that belong to them, on their own."""

from __future__ import annotations


def test_a_verdict_on_a_line_of_its_own_is_joined_to_its_objective() -> None:
    from assistant.ingest.sentences import split_sentences, with_verdicts

    text = (
        "Chefer med ansvar för verksamhetsutveckling har tillräcklig kompetens.\n\n"
        "Delvis uppfyllt\n\n"
        "Vi konstaterar att det genomförts informationsaktiviteter.\n\n"
        "Uppfyllt"
    )
    spans = with_verdicts(text, split_sentences(text))
    assert [s.text for s in spans] == [
        "Chefer med ansvar för verksamhetsutveckling har tillräcklig kompetens.\n\nDelvis uppfyllt",
        "Vi konstaterar att det genomförts informationsaktiviteter.\n\nUppfyllt",
    ]
    assert all(text[s.start : s.end] == s.text for s in spans)
    # A verdict word inside a sentence is no line of its own.
    inline = "Målet är uppfyllt. Nästa mål är delvis uppfyllt."
    assert len(with_verdicts(inline, split_sentences(inline))) == 2


def test_examples_written_as_a_fragment_are_one_sentence_with_what_they_exemplify() -> None:
    import re
    from pathlib import Path

    from assistant.ingest.sentences import split_sentences, with_examples
    from assistant.search.lexicons import is_verb_form

    corpus = Path(__file__).resolve().parent.parent / "corpus"
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt")))
    spans = with_examples(text, split_sentences(text), is_verb_form)
    assert all(text[s.start : s.end] == s.text for s in spans)
    opener = re.compile(r"\. (?:Exempelvis|Bland annat|Till exempel|Däribland|Främst)")
    joined = [s.text for s in spans if opener.search(s.text)]
    # The corpus's nine fragments, each with the sentence it gives examples of.
    assert len(joined) == 9, joined
    risks = next(s for s in joined if s.startswith("Det finns flertal riskområden"))
    assert risks.endswith("användning av nya tekniker och verktyg.")
    medskick = next(s for s in joined if "några förtydliganden och medskick." in s)
    assert medskick.endswith("förväntas ge en tydligare process kring digitalisering.")
    # A sentence with a verb of its own after "Exempelvis" / "Bland annat" stands alone,
    # and a fragment on a line of its own is not joined across the line break.
    own = (
        "Uppföljning sker årligen. Exempelvis sker uppföljningar i nämnden. Bland annat uppges "
        "att arbetet pågår. Bland annat så ingår moment för riskanalyser. Till exempel finns "
        "det mallar.\nExempelvis avseende informationssäkerhet."
    )
    assert len(with_examples(own, split_sentences(own), is_verb_form)) == len(split_sentences(own))
