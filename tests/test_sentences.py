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
