"""What a Swedish audit sentence says, and about whom: clauses, negation, verdicts, subjects.

Auditors write their judgements in a small set of forms ("Vi bedömer att …", "Vår
bedömning är att kommunstyrelsen, stadsbyggnadsnämnden och vård- och omsorgsnämnden har
beslutat om …", "… men att kultur- och fritidsnämnden inte har det", "Det saknas dock mål
för utbildningsnämnden", "Kontrollmålet bedöms som delvis uppfyllt"). These pure functions
read those forms: which boards a clause is *about* (its subject, not every board it
mentions), whether it says they have or lack something, and the verdict it gives.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from assistant.ingest.sentences import BOARD, canonical_board

Polarity = Literal["positive", "negative", "partial"]

# Clause boundaries inside one sentence: contrast and concession.
_CLAUSE_BREAK = re.compile(
    r",?\s+(?:men|medan|samtidigt\s+som)\s+(?=\S)|,\s+(?:dock|däremot|emellertid)\s+"
    r"|;\s+|,\s+vilket\s+",
    re.IGNORECASE,
)
_NEG = re.compile(
    r"\b(?:inte|ej|icke|inga|ingen|inget|saknar|saknas|saknades|saknat|avsaknad|"
    r"brist\w*|otillräcklig\w*|oklar\w*|otydlig\w*|ofullständig\w*|aldrig)\b",
    re.IGNORECASE,
)
_PARTIAL = re.compile(
    r"\b(?:delvis|inte\s+fullt\s+ut|inte\s+helt|i\s+viss\s+(?:mån|utsträckning)|"
    r"till\s+viss\s+del|i\s+varierande\s+grad|i\s+olika\s+grad|endast\s+vissa|inte\s+alla|"
    # Some of the boards have it: "Några av styrelserna och nämnden har beslutat om …".
    r"(?:några|vissa)\s+av\s+(?:de\s+)?(?:\w+\s+)?(?:styrelse|nämnd|förvaltning|verksamhet)\w*|"
    # It differs between the administrations: in place in some, not in others.
    r"varierar\s+mellan|skiljer\s+sig\s+(?:\w+\s+)?åt|"
    r"inte\s+samtliga|(?:samtliga|alla)\s+\w+\s+(?:\w+\s+)?(?:inte|ej)"
    r"(?:\s+ännu)?\s+har)\b",
    re.IGNORECASE,
)
_DENIED_LACK = re.compile(
    r"\b(?:inte|ej|icke)\s+(?:\w+\s+)?(?:saknas|saknar|brist\w*|otillräcklig\w*)\b"
    r"|\b(?:saknas|saknar)\s+(?:dock\s+)?(?:inte|ej)\b"
    r"|\b(?:inga|ingen|inget)\s+(?:\w+\s+)?(?:brist\w*|avvikelse\w*|anmärkning\w*)\b",
    re.IGNORECASE,
)
# Negations that do not negate the claim ("inte bara", "inte minst", "utan att").
_NOT_NEG = re.compile(r"\b(?:inte\s+bara|inte\s+minst|inte\s+endast)\b", re.IGNORECASE)

_VERDICT_WORD = (
    r"(?:uppfyllt|uppfylld|uppfyllda|ändamålsenlig[at]?|tillräcklig[at]?|"
    r"tillfredsställande|godtagbar[at]?|ändamålsenligt)"
)
_VERDICT = re.compile(
    r"(?P<mod>(?:(?:inte|ej|icke)\s+fullt\s+ut|inte|ej|icke|delvis|nästan/delvis|nästan|"
    r"i\s+huvudsak|i\s+allt\s+väsentligt|huvudsakligen|i\s+stort|till\s+viss\s+del|"
    r"i\s+det\s+närmaste)\s+(?:\S+\s+){0,3}?)?"
    r"(?P<word>" + _VERDICT_WORD + r")\b",
    re.IGNORECASE,
)
# Sentences that only announce what will be judged ("Syftet är att bedöma om … är
# ändamålsenlig"): no verdict.
_PURPOSE = re.compile(
    r"\b(?:att\s+bedöma\s+om|syfte\w*\s|syftat\s+till|revisionsfråg\w*\s+(?:är|om)|"
    r"kontrollmål\w*\s+(?:är|om)|ska\s+bedömas)",
    re.IGNORECASE,
)
_ASSESSING = re.compile(
    r"\b(?:vi\s+bedömer|vår\s+(?:\w+\s+)?bedömning|bedömningen\s+(?:är|att)|bedöms|"
    r"vi\s+(?:kan\s+)?(?:anser|konstatera|konstaterar|ser|noterar|uppfattar)|kontrollmålet|"
    r"revisionsfrågan|"
    r"revisionell\s+bedömning|granskningens\s+\w*\s*bedömning)",
    re.IGNORECASE,
)
_STRONG = re.compile(
    r"\b(?:vi\s+bedömer|vår\s+(?:\w+\s+)?bedömning|bedömningen\s+(?:är|att)|"
    r"(?:kontrollmålet|revisionsfrågan)\s+(?:\w+\s+){0,3}?(?:bedöms|kan\s+anses|anses)|"
    r"revisionell\s+bedömning|granskningens\s+\w*\s*bedömning)",
    re.IGNORECASE,
)
_OVERALL = re.compile(
    r"\b(?:sammanfattande|samlade|samlad|övergripande|sammantagen|sammantagna)\s+bedömning"
    r"|\bsammanfattningsvis\b[^.]*\b(?:vår|revisionens|granskningens)\s+bedömning"
    r"|\butifrån\s+genomförd\s+granskning\s+är\s+bedömningen"
    r"|\bsammantaget\s+bedömer",
    re.IGNORECASE,
)
# Frames in front of the clause's subject: "Vår bedömning är att", "Vi bedömer dock att".
_FRAME = re.compile(
    r"^(?:(?:dock|därtill|vidare|även|också|samtidigt|sammanfattningsvis|sammantaget|"
    r"utifrån\s+\S+(?:\s+\S+){0,4}?)\s*,?\s+)*"
    r"(?:(?:vår|den|revisionens|granskningens)\s+(?:\w+\s+)?bedömning(?:\s+\w+){0,5}?\s+är\s+att"
    r"|vi\s+(?:bedömer|anser|konstaterar|ser|noterar|uppfattar|kan\s+konstatera|kan\s+se)"
    r"(?:\s+(?:dock|därför|också|även|vidare))?\s+att"
    r"|det\s+framgår(?:\s+\w+){0,4}?\s+att"
    r"|(?:\S+\s+){0,12}?(?:noterat|noterar|konstaterat|konstaterar|bedömer|anser|uppfattar|"
    r"ser|framgår|visar)\b(?:\s+\S+){0,6}?\s+att"
    r"|bedömningen\s+är\s+att"
    r"|att)\s+",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"^(?:(?:endast|även|också|enbart|bara|dock|både|varken|vissa\s+av)\s+)+", re.IGNORECASE
)
_JOINER = re.compile(
    r"^(?:\s*,\s*|\s+(?:och|samt|eller|liksom|respektive)\s+|\s*,\s*(?:och|samt)\s+)$"
)
_EXISTENTIAL = re.compile(
    r"^(?:det\s+)?(?:finns|saknas|fanns|saknades)\b(?P<rest>.*)$", re.IGNORECASE | re.DOTALL
)
# "Vid tiden för granskningen saknades planer för …": the verb after a short adverbial.
_EXISTENTIAL_LATE = re.compile(
    r"^(?:\S+\s+){1,6}?(?:det\s+)?(?:finns|saknas|fanns|saknades)\b(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)
_FOR_BOARD = re.compile(r"\b(?:för|hos|inom|i)\s+$", re.IGNORECASE)
# Generic plural subjects: all boards of the municipality.
_ALL_BOARDS = re.compile(
    r"^(?:samtliga|alla)\s+(?:styrelser\s+och\s+nämnder|nämnder(?:na)?|styrelser(?:na)?|"
    r"granskade\s+nämnder)|^(?:styrelserna|nämnderna)(?:\s+och\s+nämnden)?",
    re.IGNORECASE,
)
ALL_BOARDS = "Samtliga nämnder"


@dataclass(frozen=True)
class Clause:
    """A part of a sentence with its own subject and polarity; offsets into the sentence."""

    start: int
    end: int
    text: str
    polarity: Polarity
    subjects: tuple[str, ...]


def clauses(sentence: str) -> list[Clause]:
    """Split at contrasts ("…, men att X inte har det") and read each part on its own.

    A clause without a subject of its own ("men har inte beslutat") inherits the subjects
    of the clause before it.
    """
    out: list[Clause] = []
    start = 0
    bounds = [(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(sentence)]
    pieces = []
    for b_start, b_end in bounds:
        pieces.append((start, b_start))
        start = b_end
    pieces.append((start, len(sentence)))
    previous: tuple[str, ...] = ()
    for s, e in pieces:
        text = sentence[s:e]
        if not text.strip():
            continue
        subjects = tuple(subject_boards(text)) or previous
        out.append(Clause(s, e, text, polarity(text), subjects))
        previous = subjects
    return out


def polarity(text: str) -> Polarity:
    """``negative`` when the clause denies or reports a lack, ``partial`` for "delvis",
    "inte fullt ut", "samtliga nämnder har inte" and the like, else ``positive``. A denied
    lack ("saknas inte", "inga brister") is positive."""
    if _PARTIAL.search(text):
        return "partial"
    cleaned = _NOT_NEG.sub(" ", text)
    cleaned = _DENIED_LACK.sub(" ", cleaned)
    return "negative" if _NEG.search(cleaned) else "positive"


def verdict(text: str) -> str | None:
    """The verdict a sentence gives, normalised: "delvis uppfyllt", "inte fullt ut
    ändamålsenlig", "i huvudsak tillräcklig", … or None. Purpose statements ("att bedöma om
    … är ändamålsenlig") give none."""
    if _PURPOSE.search(text) and not _ASSESSING.search(text):
        return None
    best: str | None = None
    for m in _VERDICT.finditer(text):
        word = m.group("word").casefold()
        word = {"uppfylld": "uppfyllt", "uppfyllda": "uppfyllt"}.get(word, word)
        word = re.sub(r"(ändamålsenlig|tillräcklig|godtagbar)[at]$", r"\1", word)
        mod = _modifier(m.group("mod") or "")
        if not mod and (_negated_before(text, m.start()) or _clause_denies(text, m.start())):
            mod = "inte"
        best = f"{mod} {word}".strip()
        if mod:
            break
    return best


def verdict_polarity(value: str) -> Polarity:
    """The polarity of a normalised verdict."""
    low = value.casefold()
    if low.startswith(("delvis", "nästan", "inte fullt ut", "till viss del")):
        return "partial"
    if low.startswith(("inte", "ej", "icke")):
        return "negative"
    return "positive"


def _modifier(raw: str) -> str:
    low = " ".join(raw.casefold().split())
    for mod in (
        "inte fullt ut",
        "ej fullt ut",
        "i allt väsentligt",
        "i huvudsak",
        "huvudsakligen",
        "i det närmaste",
        "till viss del",
        "nästan/delvis",
        "delvis",
        "nästan",
        "i stort",
        "inte",
        "ej",
        "icke",
    ):
        if low.startswith(mod):
            mod = {"ej fullt ut": "inte fullt ut", "ej": "inte", "icke": "inte"}.get(mod, mod)
            return {"nästan/delvis": "delvis", "huvudsakligen": "i huvudsak"}.get(mod, mod)
    return ""


def _clause_denies(text: str, pos: int) -> bool:
    """The clause holding the verdict word is negative as a whole: "styrelserna inte har
    säkerställt att … sker på ett ändamålsenligt sätt"."""
    start = 0
    for m in _CLAUSE_BREAK.finditer(text):
        if m.start() > pos:
            break
        start = m.end()
    return polarity(text[start:pos]) == "negative"


def _negated_before(text: str, pos: int) -> bool:
    """ "är inte ändamålsenlig" is covered by the pattern; "inte är ändamålsenlig" too, but a
    negation up to four words before the verdict word in the same clause also counts."""
    window = text[max(0, pos - 40) : pos]
    window = re.split(r"[,;]|\boch\b|\bmen\b", window)[-1]
    return bool(re.search(r"\b(?:inte|ej|icke)\b", window, re.IGNORECASE))


def unframed(sentence: str) -> str:
    """The judgement without its frame: "Vi bedömer att strukturen … inte är
    ändamålsenlig" → "strukturen … inte är ändamålsenlig", as the summary says it."""
    framed = _FRAME.match(sentence)
    return sentence[framed.end() :].lstrip() if framed else sentence


def is_assessment(sentence: str, in_assessment_section: bool = False) -> bool:
    """A judgement by the auditors rather than a description, a question or a purpose.

    "Vi bedömer att …", "Vår sammanfattande bedömning är att …" and "Kontrollmålet bedöms
    …" always are; "Vi konstaterar att …", a verdict word ("ändamålsenlig") or a passive
    "bedöms" only under a Bedömning/Slutsats heading (elsewhere they report what others
    found). A purpose ("Syftet är att bedöma om …") or an audit question never is.
    """
    flat = " ".join(sentence.split())
    if flat.endswith("?"):
        return False
    if _STRONG.search(flat) or _OVERALL.search(flat):
        return True
    if _PURPOSE.search(flat):
        return False
    if not in_assessment_section:
        return False
    return bool(_ASSESSING.search(flat)) or verdict(flat) is not None


def is_overall(sentence: str) -> bool:
    """The auditors' overall (summary) assessment of the whole audit."""
    return bool(_OVERALL.search(sentence))


def subject_boards(clause: str) -> list[str]:
    """The boards a clause is *about*: its subject ("kommunstyrelsen, stadsbyggnadsnämnden
    och vård- och omsorgsnämnden har beslutat …"), or the board an existential sentence is
    about ("Det saknas dock mål för utbildningsnämnden"). A board named elsewhere in the
    clause ("i samverkan med kommunstyrelsen") is only mentioned, not the subject."""
    text = clause.strip()
    owner = _OWNER.match(text)
    if owner:
        # "Av utbildningsnämndens verksamhetsberättelse framgår …", "Stadsbyggnadsnämndens
        # plan beskriver …": the board's own document speaks about the board.
        first = BOARD.match(text, owner.end())
        if first and first.group(1).casefold().endswith("s"):
            return _board_run(text, owner.end())
    named = _NAMED_AFTER.match(text)
    if named:
        # "De nämnder som inte formulerat mål är utbildningsnämnden, …": the boards come
        # after "är", and the relative clause says what holds for them.
        run = _board_run(text, named.end())
        if run:
            return run
    framed = _FRAME.match(text)
    body = text[framed.end() :] if framed else text
    lead = _LEADING.match(body)
    if lead:
        body = body[lead.end() :]
    if _ALL_BOARDS.match(body):
        everyone = _ALL_BOARDS.match(body)
        assert everyone is not None
        joined = re.match(r"\s+(?:och|samt)\s+", body[everyone.end() :])
        more = _board_run(body, everyone.end() + joined.end()) if joined else []
        return [ALL_BOARDS, *more]
    run = _board_run(body, 0)
    if run:
        return run
    exist = _EXISTENTIAL.match(body) or _EXISTENTIAL_LATE.match(body)
    if exist:
        rest = exist.group("rest")
        for m in BOARD.finditer(rest):
            if _FOR_BOARD.search(rest[: m.start()][-12:]):
                return _board_run(rest, m.start())
    return []


_NAMED_AFTER = re.compile(
    r"^(?:de|den|dessa|det)\s+(?:nämnder\w*|styrelser\w*|nämnd\w*|styrelse\w*)\s+som\b"
    r"[^.;]*?\s(?:är|var)\s+",
    re.IGNORECASE,
)
_OWNER = re.compile(r"^(?:(?:av|i|enligt|inom|från)\s+)?", re.IGNORECASE)
_LIST_SEP = re.compile(r"\s*,\s*(?:och\s+|samt\s+)?|\s+(?:och|samt|liksom|respektive)\s+")


def _board_run(text: str, pos: int) -> list[str]:
    """Boards listed from ``pos`` on, separated by commas, "och" or "samt"."""
    found: list[str] = []
    while True:
        m = BOARD.match(text, pos)
        if m is None:
            break
        name = canonical_board(m.group(1))
        if name.casefold() in {"bolaget", "bolag", "dotterbolag"}:
            break
        if name not in found:
            found.append(name)
        pos = m.end()
        sep = _LIST_SEP.match(text, pos)
        if sep is None:
            break
        if _ALL_BOARDS.match(text[sep.end() :]):
            found.append(ALL_BOARDS)
            break
        if BOARD.match(text, sep.end()) is None:
            break
        pos = sep.end()
    return found


_LACK_CUE = frozenset(
    "saknas saknar saknades saknat avsaknad inga ingen inget utan inte ej icke".split()  # noqa: SIM905
)
# Work on it is under way: it is not in place yet ("arbetet med framtagandet av en plan",
# "att utforma en digital strategi"); made, it is ("har utformat en strategi").
_PENDING_CUE = re.compile(
    r"^(?:påbörja\w*|pågå\w*|framtagande\w*|upprättande\w*|utarbetande\w*|planera\w*|"
    r"utkast\w*|ännu|upprätta|utarbeta|utforma(?:s|r|nde\w*)?|kommer)$"
)
# "Det pågår en ständig omvärldsbevakning": the topic itself goes on, it is there; only
# work on it ("arbete pågår med att ta fram en plan") is still under way.
_MAKING = re.compile(
    r"^(?:arbete\w*|fram|framtagande\w*|upprätta\w*|utarbeta\w*|utveckla\w*|revider\w*|"
    r"översyn\w*|uppdater\w*|implementer\w*|införande\w*)$"
)


def _going_on(cue: str, between: list[str]) -> bool:
    return cue.startswith("pågå") and not any(_MAKING.match(w) for w in between)


# "vid framtagande av en ny tjänst": when one is made, not one under way.
_WHEN = re.compile(r"^(?:vid|inför|när|då)$")
# Words of want before the topic word: it is there but not good enough ("otydlig
# rollfördelning", "bristande riskanalyser", "otillräckliga resurser").
# "önskar att den centrala samordningen … skulle stärkas", "upplevd problematik avseende
# kommunens samordning": a wish for more, a problem with it.
_WANT_CUE = re.compile(
    r"^(?:otydlig|oklar|bristande|bristfällig|otillräcklig|problematik|önskar|önskemål)\w*$|^tydligare$"
)
_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
LACK_WINDOW = 6
# What still needs to be made, before the topic word: "behöver etableras", "behöver tas
# fram", "behöver (ytterligare) utvecklas" (not "behöver ägnas särskild uppmärksamhet",
# which asks for attention to something that is there).
_NEEDED = re.compile(
    r"\bbehöver\s+(?:\w+\s+)?(?:etableras|tas\s+fram|arbetas\s+fram|upprättas|utarbetas|"
    r"införas|inrättas|skapas|byggas\s+upp|utvecklas|fastställas|beslutas|tydliggöras)\b"
)


# "Några av styrelserna och nämnden har beslutat om handlingsplaner", "Uppföljningen
# varierar mellan förvaltningarna": the report says it of boards it does not name ("när
# det berör flera förvaltningar" says how many, not which).
_UNNAMED_SUBSET = re.compile(
    r"\b(?:(?:några|vissa|somliga|en\s+del|ett\s+par)\s+(?:av\s+)?|flera\s+av\s+)"
    r"(?:de\s+|dessa\s+)?(?:förvaltning|nämnd|styrelse|bolag)\w*"
    r"|\b(?:varierar|skiljer\s+sig(?:\s+\w+)?(?:\s+åt)?)\s+mellan\s+(?:de\s+olika\s+)?"
    r"(?:förvaltning|nämnd|styrelse|bolag)\w*",
    re.IGNORECASE,
)


def of_unnamed_boards(sentence: str) -> bool:
    """Whether ``sentence`` speaks of some of the boards or administrations without naming
    them ("Några av styrelserna …", "… varierar mellan förvaltningarna")."""
    return _UNNAMED_SUBSET.search(sentence) is not None


def lacks(text: str, matches: Callable[[str], bool]) -> bool | None:
    """Whether ``text`` says the topic is missing: a lack or a negation ("saknas",
    "inga", "har inte beslutat om") or work still under way ("framtagandet av en plan")
    within a few words before a topic word, or a lack or a denied existence right after
    it ("Verksamhetsplanen saknar uppgifter om …", "medarbetare … som nu inte finns
    kvar"). ``matches`` tells which words are topic words. None when no topic word
    occurs in the text.

    "Det målsatta måttet mättes inte" is not a lack of a goal: a plain negation after the
    topic word denies another verb (the measuring), not that the goal exists. Each
    sentence of the text is read on its own: "… ska fas 3 påbörjas. • Nämnden har
    upphandlat ett digitalt verktyg" does not say the tool is pending."""
    said = [_lacks_in(part, matches) for part in _SENTENCE_END.split(text)]
    if True in said:
        return True
    return False if False in said else None


# A sentence ends at a full stop, question or exclamation mark before a capital or bullet.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[•\-–*]?\s*[A-ZÅÄÖ])")


def _lacks_in(text: str, matches: Callable[[str], bool]) -> bool | None:
    words = [w.casefold() for w in _TOKEN.findall(text)]
    seen = False
    for i, word in enumerate(words):
        if not matches(word):
            continue
        seen = True
        start = max(0, i - LACK_WINDOW)
        window = words[start:i]
        if any(w in _LACK_CUE for w in window) and not _denied_lack(window):
            return True
        if _NEEDED.search(" ".join(window)):
            return True  # "… behöver etableras en bättre uppföljning": it is wanted
        before = [words[j - 1] if j else "" for j in range(start, i)]
        if any(
            (_PENDING_CUE.match(w) and not _WHEN.match(b) and not _going_on(w, window[k + 1 :]))
            or _WANT_CUE.match(w)
            for k, (b, w) in enumerate(zip(before, window, strict=True))
        ):
            return True
        after = " ".join(words[i + 1 : i + 1 + LACK_WINDOW])
        if _LACK_AFTER.search(after) and not _DENIED_LACK.search(after):
            return True
        if (
            i + 1 < len(words)
            and words[i + 1] == "som"
            and _MISSING_AFTER_CLAUSE.search(" ".join(words[i + 3 : i + 1 + WANT_WINDOW]))
        ):
            # The topic word's relative clause comes before its verb ("resurser i form av
            # personal som arbetar med digitalisering i stort saknas").
            return True
        # A want reaches further, to the end of its clause ("Avseende riskanalyser inom
        # ramen för digitaliseringsarbetet uppger intervjupersoner att de ser
        # utvecklingsbehov för det").
        clause = " ".join(words[i + 1 : i + 1 + WANT_WINDOW]).split(" men ")[0]
        if _WANT_AFTER.search(clause):
            return True
    return False if seen else None


# After the topic word: it is missing ("saknas", "saknar") or said not to exist or be had
# ("inte finns", "finns inte", "har inte", "inte har"). ``_WANT_AFTER``: it needs work
# ("ser utvecklingsbehov", "behöver utvecklas", "brister", "är otydlig").
_LACK_AFTER = re.compile(
    r"\b(?:saknas|saknades|saknar|saknade|saknat)\b"
    r"|\b(?:inte|ej|icke)\s+(?:längre\s+|ännu\s+)?(?:finns|fanns|har|hade)\b"
    r"|\b(?:finns|fanns|har|hade)\s+(?:dock\s+|därmed\s+)?(?:inte|ej|icke)\b(?!\s+bara)",
    re.IGNORECASE,
)


# Said missing after a relative clause: "saknas" is passive, so its subject is the topic
# word, not the relative pronoun ("planer som saknar mått" has plans).
_MISSING_AFTER_CLAUSE = re.compile(
    r"(?<!\binte )(?<!\bej )\b(?:saknas|saknades)\b(?!\s+(?:inte|ej)\b)"
)


_WANT_AFTER = re.compile(
    r"\b(?:utvecklings|förbättrings)behov\b|\bbrister\b"
    r"|\bbehöver\s+(?:utvecklas|förbättras|stärkas|tydliggöras|förtydligas)\b"
    # Still to be made ("… rekommenderar vi att en konkret handlingsplan arbetas fram").
    r"|\b(?:arbetas|tas)\s+fram\b|\bupprättas\b"
    # A wish ("… skulle stärkas", "skulle behöva tydliggöras").
    r"|\bskulle\s+(?:behöva\s+)?(?:stärkas|förbättras|utvecklas|tydliggöras|förtydligas)\b"
    r"|\b(?:är|var|upplevs|uppfattas)\s+(?:som\s+)?(?:otydlig|oklar|bristfällig|otillräcklig)\w*"
    # Not in place yet ("… uppföljning av digitaliseringsarbetet är i en etableringsfas"),
    # or wanting ("vi bedömer att det inom dessa delar finns behov av tydligare styrning").
    r"|\b(?:är|var)\s+i\s+(?:en\s+)?(?:etablerings|uppstarts|inlednings)fas\b"
    r"|\b(?:finns|fanns|ser|såg|har|hade|(?:är|var)\s+i)\s+(?:\w+\s+){0,2}?behov\s+av\b",
)
WANT_WINDOW = 12


def _denied_lack(window: list[str]) -> bool:
    """ "saknas inte", "inte saknas": the lack is denied."""
    joined = " ".join(window)
    return bool(_DENIED_LACK.search(joined))
