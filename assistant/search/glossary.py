"""English -> Swedish query terms for the keyword retriever (cross-language expansion).

The reports are Swedish; an English question shares few words with them, so BM25 finds
little. This small domain glossary of Swedish municipal audit vocabulary adds Swedish
terms for the English words and phrases of a question. The dense retriever is
multilingual and gets the question as written.
"""

from __future__ import annotations

import re

# Phrases first (longest match wins), then single words (matched on a crude English stem).
PHRASES: dict[str, str] = {
    "executive board": "kommunstyrelsen",
    "municipal executive board": "kommunstyrelsen",
    "municipal council": "kommunfullmäktige",
    "city council": "kommunfullmäktige",
    "social services": "socialnämnden socialförvaltningen",
    "social welfare": "socialnämnden",
    "elderly care": "äldreomsorg vård omsorg",
    "care and welfare": "vård omsorg",
    "health and social care": "vård omsorg",
    "building permit": "bygglov",
    "city planning": "stadsbyggnad samhällsbyggnad",
    "urban planning": "stadsbyggnad samhällsbyggnad",
    "culture and leisure": "kultur fritid",
    "compulsory school": "grundskola",
    "upper secondary": "gymnasie",
    "action plan": "handlingsplan",
    "internal control": "intern kontroll",
    "control objective": "kontrollmål",
    "follow-up": "uppföljning",
    "follow up": "uppföljning följa upp",
    "digital exclusion": "digitalt utanförskap",
    "digital transformation": "digital transformation",
    "portfolio management": "portföljstyrning",
    "information security": "informationssäkerhet",
    "it security": "it-säkerhet informationssäkerhet",
    "e-service": "e-tjänst",
    "e-services": "e-tjänster",
    "cost-benefit": "nytta kostnad",
    "benefit realisation": "nyttorealisering hemtagning",
    "benefits realisation": "nyttorealisering hemtagning",
    "term of office": "mandatperiod",
    "operating budget": "driftanslag driftbudget",
    "night-time": "natt",
    "fault-reporting": "felanmälan",
    "fault reporting": "felanmälan",
    "end users": "användare",
    "end user": "användare",
    "city planning administration": "stadsbyggnadsförvaltningen",
    # Boards by their usual English names, so that a question can name one.
    "social services committee": "socialnämnden socialförvaltningen",
    "social welfare committee": "socialnämnden",
    "city planning committee": "stadsbyggnadsnämnden stadsbyggnad samhällsbyggnad",
    "urban planning committee": "stadsbyggnadsnämnden stadsbyggnad samhällsbyggnad",
    "culture and leisure committee": "kultur- och fritidsnämnden kultur fritid",
    "care and welfare committee": "vård- och omsorgsnämnden vård omsorg",
    "health and social care committee": "vård- och omsorgsnämnden vård omsorg",
    "elderly care committee": "vård- och omsorgsnämnden äldreomsorg vård omsorg",
    "compulsory school committee": "grundskolenämnden grundskola",
    "upper secondary school committee": "gymnasienämnden gymnasie",
    "all boards and committees": "samtliga nämnder",
    "all boards": "samtliga nämnder",
    "all committees": "samtliga nämnder",
    "national agency": "myndighet",
    "local authority": "kommun",
    "steering group": "styrgrupp",
    "welfare technology": "välfärdsteknik",
    "citizen service": "medborgarservice",
    "real estate": "fastighet",
    "not an end in itself": "inte ett mål i sig",
    "decision support": "beslutsunderlag",
    "project office": "projektkontor",
    "risk analysis": "riskanalys",
    "needs analysis": "behovsanalys",
}
# English names of boards: a question that names one asks about that board, so the
# name selects findings by addressee and is not a topic of its own.
BOARD_PHRASES = (
    "municipal executive board",
    "executive board",
    "municipal council",
    "city council",
    "social services committee",
    "social welfare committee",
    "city planning committee",
    "urban planning committee",
    "culture and leisure committee",
    "care and welfare committee",
    "health and social care committee",
    "elderly care committee",
    "compulsory school committee",
    "upper secondary school committee",
    "all boards and committees",
    "all boards",
    "all committees",
)
_BOARD_PHRASE = re.compile(
    r"\b(?:" + "|".join(re.escape(p) for p in BOARD_PHRASES) + r")(?:'s)?\b", re.IGNORECASE
)


def without_board_names(question: str) -> str:
    """``question`` with the English names of boards taken out."""
    return _BOARD_PHRASE.sub(" ", question)


WORDS: dict[str, str] = {
    "audit": "granskning revision",
    "auditor": "revisorer revisorerna",
    "review": "granskning",
    "municipality": "kommun kommunen",
    "municipal": "kommun kommunens",
    "council": "fullmäktige",
    "board": "nämnd nämnden styrelse",
    "committee": "nämnd utskott kommitté",
    "department": "förvaltning",
    "administration": "förvaltning förvaltningen",
    "office": "kontor",
    "unit": "enhet",
    "digitalisation": "digitalisering",
    "digitalization": "digitalisering",
    "digital": "digital digitala",
    "digitise": "digitalisera",
    "digitize": "digitalisera",
    "strategy": "strategi",
    "plan": "plan planer",
    "program": "program",
    "programme": "program",
    "policy": "policy riktlinje",
    "guideline": "riktlinje",
    "goal": "mål",
    "target": "mål",
    "objective": "mål",
    "outcome": "utfall",
    "result": "resultat",
    "measure": "mått åtgärd",
    "indicator": "indikator mått",
    "follow": "uppföljning följa",
    "monitor": "uppföljning",
    "report": "rapport rapportering",
    "reporting": "rapportering",
    "assess": "bedömning",
    "assessment": "bedömning",
    "conclude": "slutsats bedömning",
    "conclusion": "slutsats",
    "recommend": "rekommenderar rekommendation",
    "recommendation": "rekommendationer",
    "find": "iakttagelser",
    "finding": "iakttagelser",
    "observation": "iakttagelser",
    "sufficient": "tillräcklig",
    "insufficient": "otillräcklig brister",
    "lack": "saknas saknar",
    "missing": "saknas",
    "partly": "delvis",
    "fulfil": "uppfyllt",
    "fulfill": "uppfyllt",
    "budget": "budget",
    "fund": "fond",
    "money": "medel pengar",
    "cost": "kostnad kostnader",
    "invest": "investering investera",
    "investment": "investering",
    "million": "miljoner mnkr",
    "resource": "resurser",
    "staff": "personal medarbetare",
    "employee": "medarbetare",
    "competence": "kompetens",
    "skill": "kompetens",
    "training": "utbildning",
    "organisation": "organisation",
    "organization": "organisation",
    "responsibility": "ansvar",
    "role": "roll roller",
    "governance": "styrning",
    "management": "styrning ledning",
    "steering": "styrning",
    "control": "kontroll styrning",
    "coordination": "samordning",
    "cooperation": "samverkan samarbete",
    "collaboration": "samverkan samarbete",
    "joint": "gemensam gemensamt",
    "together": "tillsammans",
    "project": "projekt",
    "initiative": "initiativ",
    "priority": "prioritering",
    "prioritise": "prioritera",
    "benefit": "nytta nyttor",
    "efficiency": "effektivisering effektivitet",
    "effective": "effektiv",
    "citizen": "invånare medborgare",
    "resident": "invånare",
    "user": "användare",
    "service": "tjänst tjänster",
    "website": "webbplats hemsida",
    "web": "webb",
    "login": "inloggning",
    "log": "logga inloggning",
    "app": "app",
    "automation": "automatisering",
    "automate": "automatisera",
    "robot": "robot",
    "ai": "ai artificiell intelligens",
    "system": "system verksamhetssystem",
    "infrastructure": "infrastruktur",
    "security": "säkerhet",
    "risk": "risk risker",
    "analysis": "analys",
    "interview": "intervjuer intervjuade",
    "document": "dokument",
    "school": "skola skolan",
    "education": "utbildning",
    "teacher": "lärare",
    "pupil": "elever",
    "care": "omsorg vård",
    "elderly": "äldre",
    "welfare": "välfärd",
    "technology": "teknik",
    "camera": "kameror kamera",
    "alarm": "larm",
    "lock": "lås",
    "recipient": "brukare",
    "permit": "lov",
    "inspection": "tillsyn",
    "library": "bibliotek",
    "culture": "kultur",
    "leisure": "fritid",
    "social": "social",
    "environment": "miljö",
    "build": "bygg",
    "housing": "bostad",
    "portal": "portal",
    "procure": "upphandlat upphandling",
    "procurement": "upphandling",
    "purchase": "upphandling inköp",
    "license": "licens",
    "cloud": "moln",
    "cyber": "cyber it-attack",
    "attack": "attack",
    "broadband": "bredband",
    "fibre": "fiber",
    "fiber": "fiber",
    "rural": "landsbygd",
    "national": "nationell",
    "agency": "myndighet",
    "year": "år",
    "decision": "beslut",
    "decide": "beslutat beslut",
    "adopt": "antagen anta beslutad",
    "adopted": "antagen beslutad",
    "approve": "godkänt",
    "draw": "upprätta ta fram",
    "establish": "inrätta etablera",
    "set": "inrättades",
    "merge": "sammanslagning slogs ihop",
    "form": "bilda blankett",
    "new": "ny nya",
    "template": "mall mallar",
    "method": "metod metoder",
    "model": "modell",
    "calculate": "beräkna",
    "valuation": "värdering",
    "value": "värde värdering",
    "team": "grupp team",
    "group": "grupp",
    "member": "ledamöter",
    "chair": "ordförande",
    "manager": "chef",
    "director": "direktör chef",
    "politician": "politiker",
    "pandemic": "pandemi",
    "covid": "covid pandemi",
    "corona": "corona pandemi",
    "remote": "distans",
    "meeting": "möten",
    "process": "process processer",
    "routine": "rutin rutiner",
    "paper": "papper",
    "archive": "arkiv",
    "record": "dokumenthantering",
    "opportunity": "möjligheter",
    "challenge": "utmaningar",
    "problem": "problem brister",
    "weakness": "brister",
    "shortcoming": "brister",
    "exclusion": "utanförskap",
    "accessibility": "tillgänglighet",
    "inclusion": "delaktighet",
    "behaviour": "beteende",
    "behavior": "beteende",
    "framework": "ramverk",
    "standard": "standard",
    "summarise": "sammanfattning",
    "summary": "sammanfattning",
    "overall": "övergripande samlad",
    "systematic": "systematiskt",
    "structure": "struktur",
    "capacity": "kapacitet",
    "many": "antal",
    "number": "antal",
    "share": "andel",
    "percent": "procent",
    # General words of public administration and auditing (verbs and nouns officials use
    # in questions), so that an English question keeps more of its content in Swedish.
    "work": "arbete arbetet",
    "development": "utveckling",
    "develop": "utveckla utveckling",
    "operation": "verksamhet verksamheten",
    "activity": "aktivitet aktiviteter verksamhet",
    "central": "central centrala",
    "support": "stöd",
    "function": "funktion funktioner",
    "evaluate": "utvärdera utvärdering",
    "evaluation": "utvärdering",
    "strategic": "strategisk strategiska",
    "clear": "tydlig tydliga",
    "unclear": "otydlig otydligt oklart",
    "clarify": "tydliggöra förtydliga",
    "coordinate": "samordna samordning",
    "allocation": "fördelning resursfördelning",
    "allocate": "fördela",
    "distribution": "fördelning",
    "division": "fördelning",
    "govern": "styra styrning",
    "governing": "styrande styrdokument",
    "proposal": "förslag",
    "propose": "föreslå förslag",
    "revise": "revidera revidering",
    "revision": "revidering",
    "update": "uppdatera revidera",
    "month": "månad",
    "week": "vecka",
    "area": "område områden",
    "focus": "fokus",
    "link": "koppling kopplat knutit",
    "stakeholder": "intressenter",
    "slow": "långsam långsamt",
    "question": "fråga frågor",
    "involve": "involvera inkludera delaktighet",
    "include": "inkludera omfatta",
    "consider": "anser bedömer",
    "grant": "beviljat beviljades medel",
    "pay": "betala betalar finansiera",
    "finance": "finansiera finansiering",
    "financing": "finansiering",
    "start": "påbörja påbörjat",
    "begin": "påbörja",
    "complete": "slutföra slutförd",
    "implement": "implementera genomföra införa",
    "implementation": "implementering genomförande införande",
    "introduce": "införa",
    "need": "behov",
    "demand": "krav efterfrågan",
    "requirement": "krav",
    "mapping": "kartläggning",
    "map": "kartlägga kartläggning",
    "survey": "kartläggning enkät",
    "inventory": "inventering",
    "decision-making": "beslutsprocess",
    "documentation": "dokumentation",
    "documented": "dokumenterad dokumenterade",
    "maturity": "mognad",
    "mature": "mognad",
    "ambition": "ambitionsnivå ambition",
    "level": "nivå",
    "organise": "organisera organisering",
    "organize": "organisera organisering",
    "mandate": "uppdrag",
    "assignment": "uppdrag",
    "task": "uppdrag uppgift",
    "duty": "uppsiktsplikt ansvar",
    "oversight": "uppsikt uppsiktsplikt",
    "supervise": "uppsikt",
    "chief": "chef",
    "head": "chef",
    "executive": "direktör",
    "officer": "tjänsteperson tjänstepersoner",
    "official": "tjänsteperson tjänstepersoner",
    "employ": "anställa anställd",
    "hire": "anställa rekrytera",
    "recruit": "rekrytera rekrytering",
    "expert": "specialist",
    "specialist": "specialist",
    "developer": "utvecklare",
    "coordinator": "samordnare koordinator",
    "object": "objekt",
    "forum": "forum",
    "meet": "träffas möten",
    "twice": "två gånger",
    "annual": "årlig årligen",
    "annually": "årligen",
    "quarter": "kvartal",
    "january": "januari",
    "february": "februari",
    "march": "mars",
    "april": "april",
    "june": "juni",
    "july": "juli",
    "august": "augusti",
    "september": "september",
    "october": "oktober",
    "november": "november",
    "december": "december",
    "statistic": "statistik",
    "data": "data",
    "measurement": "mätning",
    "measurable": "mätbara mätbar",
    "efficient": "effektiv effektivisering",
    "quality": "kvalitet",
    "improve": "förbättra förbättring",
    "improvement": "förbättring",
    "change": "förändring",
    "transform": "transformation",
    "innovation": "innovation",
    "pilot": "pilot",
    "test": "test testa",
    "sensor": "sensorer",
    "health": "hälsa",
    "school-age": "skolålder",
    "preschool": "förskola",
    "child": "barn",
    "youth": "ungdom",
    "environmental": "miljö",
    "property": "fastighet",
    "street": "gata",
    "planning": "planering",
    "administration's": "förvaltningens",
    "contact": "kontakt",
    "customer": "kund",
    "communication": "kommunikation",
    "information": "information",
    "guidance": "vägledning",
    "legal": "juridik juridiska",
    "law": "lag",
    "architecture": "arkitektur",
    "integration": "integration",
    "legacy": "föråldrade",
    "debt": "skuld",
    "modernise": "modernisera",
    "portfolio": "portfölj",
}
_WORD = re.compile(r"[a-z][a-z'-]*")
_PHRASE = re.compile(
    "|".join(re.escape(p) for p in sorted(PHRASES, key=len, reverse=True)), re.IGNORECASE
)


def _stem(word: str) -> str:
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            candidate = word[: -len(suffix)] + repl
            if candidate in WORDS or candidate + "e" in WORDS:
                return candidate if candidate in WORDS else candidate + "e"
    return word


def swedish_terms(question: str) -> str:
    """Swedish words for the English words and phrases of ``question`` (may be empty)."""
    lowered = question.casefold()
    out: list[str] = [PHRASES[m.group(0).casefold()] for m in _PHRASE.finditer(lowered)]
    rest = _PHRASE.sub(" ", lowered)
    for word in _WORD.findall(rest):
        hit = WORDS.get(word) or WORDS.get(_stem(word))
        if hit:
            out.append(hit)
    return " ".join(dict.fromkeys(out))


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# English function and question words: never a key term of their own.
ENGLISH_STOPWORDS = _words(
    "a about above according after all also an and any are as at be been before being "
    "both but by can could did do does doing done during each either for from had has "
    "have having how however if in into is it its just many may more most much must no "
    "not of on one only or other our out over own same say says said shall should so some "
    "such than that the their them then there these they this those through to too under "
    "until up upon very was we were what when where whether which while who whom whose "
    "why will with within without would yet you your tell give given show shows describe "
    "explain list name named there's it's does did doing like want know think mean means "
    "look looks seem seems become became come came going goes went get gets got make "
    "makes made take takes took taken carry carried carries contain contains contained "
    "include includes included happen happened receive received receives need needs "
    "needed use used uses using find found keep kept put set sets run runs ran write "
    "written wrote actually currently exactly really mainly generally specifically "
    "already still ever something anything everything someone anyone "
)


_ANY_WORD = re.compile(r"[^\W\d_][\w'-]*")


def untranslated_words(question: str) -> list[str]:
    """English content words of ``question`` that the glossary has no Swedish for
    ("weather", "licences"): the keyword side cannot look for them, but an answer that
    matches none of them has not answered the question."""
    # Capitalised words are names; whether the reports mention them is checked elsewhere.
    lowered = " ".join(w for w in question.split() if not w[:1].isupper()).casefold()
    rest = _PHRASE.sub(" ", lowered)
    out = []
    for word in _ANY_WORD.findall(rest):
        word = word.strip("'-").removesuffix("'s")
        if len(word) < 4 or word in ENGLISH_STOPWORDS:
            continue
        if WORDS.get(word) or WORDS.get(_stem(word)):
            continue
        if word not in out:
            out.append(word)
    return out
