"""What a question asks for: recommendations, a judgement, a set of boards or
municipalities, a number or date, a comparison, or a fact. Rules, tested on their own.

A bare "vilka"/"which" does not make a set question: "Which audit firm carried out the
review?" asks for a fact. A set question names what the set is of ("vilka nämnder",
"which committees", "i vilka kommuner").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from assistant.ingest.sentences import find_boards

IntentKind = Literal["recommendation", "judgement", "set", "number", "comparison", "fact"]
NumberKind = Literal["amount", "money", "percent", "date", "day", "count"]
Polarity = Literal["positive", "negative", "partial"]

_I = re.IGNORECASE
_RECOMMEND = re.compile(
    r"\brekommend\w*|\brecommend\w*|\bföreslå\w*|\bförslag\s+till\s+förbättring|\bsuggest\w*"
    r"|\badvi[sc]\w*|\bråd(?:er|de|et)?\b"
    # "Vad ska alla styrelser och nämnden i Avesta göra enligt revisorerna?"
    r"|\bvad\s+(?:bör|ska|borde)\s+(?:[\w-]+\s+){1,8}?göra\b"
    r"|\bwhat\s+should\b|\bförbättringsåtgärd\w*|\bimprovement\w*\s+(?:did|do)\b"
    r"|\b(?:told|asked|urged|advised)\s+to\b|\buppmana\w*|\bombe(?:tts|ds)\b"
    # "Vilka nämnder ska enligt revisorerna anta en handlingsplan?": what the auditors
    # want done is their recommendation, whatever the set it asks for.
    r"|\b(?:ska|bör|borde)\s+(?:[\w-]+\s+){0,3}?enligt\s+revisor\w*"
    r"|\benligt\s+revisor\w*\s+(?:[\w-]+\s+){0,3}?(?:ska|bör|borde)\b"
    r"|\bshould\b[^?.]*\baccording\s+to\s+the\s+auditors\b"
    r"|\baccording\s+to\s+the\s+auditors\b[^?.]*\bshould\b",
    _I,
)
# The nouns a set question asks for: boards, administrations, municipalities.
SET_NOUN = (
    # Not the people of a board ("förvaltningschefer", "nämndordförande"): they are counted
    # or named, not a set of boards.
    r"(?:(?![\w-]*(?:chef|direktör|ordförande|ledamot|ledamöter|representant|företrädare|"
    r"sekreterare|handläggare)\w*\b)(?:nämnd\w*|styrelse\w*|förvaltning\w*|bolag\w*)|boards?|"
    r"committees?|granskade|bodies|kommuner(?:na)?|kommun|municipalit(?:y|ies)|councils?|"
    r"departments?|administrations?)"
)
# People and meetings of a board ("committee members", "board meetings").
_MODIFIED = r"(?:members?|meetings?|minutes|chairs?|chairm[ae]n|staff|officials?|secretar(?:y|ies))"
_SET = re.compile(
    rf"\b(?:vilka|vilken|which|what)\s+(?:of\s+(?:the\s+)?|av\s+)?"
    # "What did the committee's documents say …", "What does the board plan?": the board
    # after an auxiliary is the subject, not the set asked.
    r"(?!(?:did|does|do|has|have|had|is|was|are|were|will|would|should|can|could)\s)"
    rf"(?:[\w'’-]+\s+){{0,2}}?"
    # A board in the genitive owns what follows ("vilken plan följer förvaltningens
    # arbete"): the plan is asked, not a set of administrations.
    # A board in the definite singular is the subject ("Vilken förstärkning beskriver
    # nämnden i sitt svar?"): what it did is asked, not a set.
    rf"{SET_NOUN}\b(?<!ens)(?<!ets)(?<!nas)(?<!uns)(?<!nden)(?<!elsen)(?<!ngen)(?<!unen)(?<!aget)"
    # An English board word before a noun of people or meetings modifies it ("Which board
    # members …" asks for people); the one council of a municipality is no set ("Which two
    # council goals …" asks for goals).
    rf"(?!\s+{_MODIFIED}\b)(?<!\bcouncil)"
    rf"|\b(?:har|hade)\s+(?:alla|samtliga)\s+{SET_NOUN}|\b(?:do|did|have|had)\s+all\s+"
    rf"(?:the\s+)?{SET_NOUN}"
    rf"|\bi\s+vilk(?:a|en|et)\s+{SET_NOUN}|\bin\s+which\s+{SET_NOUN}"
    rf"|\b(?:lista|list|name|nämn)\s+(?:\w+\s+){{0,2}}?{SET_NOUN}\b"
    rf"|\bhur\s+många\s+{SET_NOUN}|\bhow\s+many\s+{SET_NOUN}"
    # "Hur många av Botkyrkas nämnder saknade …": a part of the boards; not "hur många av
    # kommunstyrelsens sammanträden" (the genitive owns what is counted).
    rf"|\b(?:hur\s+många\s+av|how\s+many\s+of)\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,2}}?"
    rf"{SET_NOUN}\b(?<!ens)(?<!ets)(?<!nas)(?<!uns)(?!['’])"
    # "Vilka av Botkyrkas digitaliseringsmått saknade utfall?": each measure is a board's
    # row of a table, so the answer is those boards, each with its row.
    r"|\b(?:vilka|which)\s+(?:av|of)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}?"
    r"(?:[\w-]*mått(?:en)?|målsatta\s+mått(?:en)?|measures|targets|indicators)\b",
    _I,
)
# A question that opens by asking for a quantity or a time.
_NUMBER_FIRST = re.compile(
    r"^\W*(?:(?:by|med)\s+)?(?:how\s+(?:much|many)|hur\s+(?:mycket|många)|när|when|"
    r"(?:on|by)\s+what\s+date|vilket\s+datum)\b",
    _I,
)
_COUNTS_RECOMMENDATIONS = re.compile(
    r"\b(?:hur\s+många|how\s+many)\s+rekommendation\w*|"
    r"\bhow\s+many\s+recommendations\b",
    _I,
)
_PLACES_NOUN = re.compile(r"\bkommuner\w*|\bkommun\b|\bmunicipalit(?:y|ies)\b", _I)
# "Which reports mention the intranet?", "I vilka granskningar lyfts …": the reports as
# texts, one per municipality, with a verb of saying after them ("Vilka rapporter får
# kommunstyrelsen?" asks for reporting, not for municipalities).
_REPORTS_SET = re.compile(
    r"\b(?:in\s+which\s+(?:of\s+the\s+)?(?:(?:two|three|four|five|\d)\s+)?"
    r"(?:reports|audits|reviews)\b|i\s+vilka\s+(?:av\s+)?(?:de\s+)?"
    r"(?:(?:två|tre|fyra|fem|\d)\s+)?(?:rapporter|granskningar|revisionsrapporter)(?:na)?\b)"
    r"|\b(?:(?:which|what)\s+(?:of\s+the\s+)?(?:reports|audits|reviews)|vilka\s+(?:av\s+)?"
    r"(?:rapporter|granskningar|revisionsrapporter)(?:na)?)\s+(?:[\w-]+\s+){0,2}?(?:mention|say|says|describe|"
    r"discuss|note|state|point|raise|highlight|refer|include|included|contain|bring|address|"
    r"cover|deal|touch|stress|emphasi[sz]e|nämner|nämns|"
    r"säger|beskriver|beskrivs|tar|tas|lyfter|lyfts|konstaterar|pekar|visar|innehåller|"
    r"inkluderade|inkluderar|framgår|tog|berör|recommend|rekommender)\w*\b",
    _I,
)
COMPARE_WORDS = re.compile(
    r"\bjämför\w*|\bskillnad\w*|\bskiljer\s+sig|\bcompar\w*|\bdiffer\w*|\bversus\b|\bvs\.?\b"
    r"|\bi\s+förhållande\s+till\b|\bbåda\s+kommunerna\b|\bboth\s+municipalities\b",
    _I,
)
# "Hur tar rapporterna upp risken för suboptimering?", "How do the reports describe the
# split of costs?", "Hur samlar kommunerna idéer?": how each of them does it, asked of all
# the reports at once.
_HOW_ALL = re.compile(
    r"\b(?:hur|how)\b(?:\s+[\w-]+){0,8}?\s+(?:(?:rapporterna|granskningarna|kommunerna|"
    r"revisionsrapporterna)\b|(?:the|all|all\s+the|the\s+five)\s+(?:reports|audits|"
    r"municipalities)\b)",
    _I,
)
_JUDGE = re.compile(
    r"\brevisor\w*\s+(?:kom|har\s+kommit)\s+fram\s+till\b|\bkom\s+revisor\w*\s+fram\s+till\b"
    r"|\b(?:helhets)?bedöm\w*|\bslutsats\w*|\b(?:helhets)?omdöme\w*|\bändamålsenlig\w*|\btillräcklig\w*"
    r"|\buppfyll\w*|\banser\s+revisor\w*|\bverdict\w*|\bassess\w*|\bconclu\w*|\bjudg\w*"
    r"|\badequate\w*|\bappropriate\w*|\beffective\w*|\bsufficient\w*|\bsatisf\w*"
    r"|\bhur\s+(?:väl|bra)\b|\bhow\s+well\b|\bgodkän\w*|\bmet\b|\bfulfil\w*|\bachieved?\b"
    r"|\b(?:tycker|tyckte|anser|ansåg|menar|menade)\b|\benligt\s+revisor\w*|\bauditors?\W+(?:view|opinion|consider|think)"
    r"|\b(?:do|does|did)\s+the\s+auditors?\s+(?:consider|think|find|believe|see)\b"
    # "Vilka brister ser revisorerna …", "What weaknesses do the auditors see …": their view.
    r"|\b(?:ser|såg)\s+(?:revisor\w*|PwC|KPMG|EY)\b|\b(?:revisor\w*|auditors?)\s+(?:ser|såg|sees?|saw)\b"
    r"|\bkontrollmålet\s+(?:är\s+)?uppfyllt",
    _I,
)
# Quantity questions only: "Which projects got money?" asks for projects, not an amount.
_DATE = re.compile(
    r"^\W*(?:och\s+|and\s+|men\s+|but\s+)?(?:(?:until|till|fram\s+till|by|senast)\s+)?"
    r"(?:när|when)\b|\bvilke[tn]\s+(?:år|datum)\b"
    r"|\bvilka\s+(?:år|datum|årtal)\b|\b(?:what|which)\s+(?:dates|years)\b"
    r"|\bvilken\s+(?:dag|månad)\b|\bsince\s+when\b|\bsedan\s+när\b"
    r"|\b(?:what|which)\s+(?:date|year|month|day)\b|\bin\s+which\s+year\b"
    r"|\bhur\s+länge\b|\bhow\s+long\b|\bsenast\s+när\b|\bby\s+when\b|\bdeadline\b"
    # How long something takes is said by when it began and ended, or by a span of time.
    r"|\bhur\s+lång\s+tid\b",
    _I,
)
# A day, not only a year: "Vilket datum …", "On what date …".
_DAY = re.compile(
    r"\bvilke[tn]\s+datum\b|\bvilka\s+datum\b|\bvilken\s+dag\b"
    r"|\b(?:what|which)\s+(?:exact\s+)?(?:date|day)s?\b"
    r"|\bdatum\s+för\b|\bexakt\s+datum\b",
    _I,
)
_AMOUNT = re.compile(
    r"\bhur\s+mycket\b|\bhow\s+much\b|\bvad\s+kost(?:ar|ade)\b|\bwhat\s+(?:does|did|do)\b.*\bcost\b"
    # "What did the IT unit spend on licences?": a sum of money.
    r"|\bwhat\s+(?:does|did|do|will|has|have)\b.*\bspen(?:d|ds|t|ding)\b"
    r"|\bvilket\s+belopp\b|\bwhat\s+amount\b|\bvilken\s+summa\b"
    # "Hur många miljoner kronor …", "How many million SEK …": a sum counted in its unit.
    r"|\bhur\s+många\s+(?:miljoner|miljarder|kronor|mnkr|mkr|tkr)\b"
    r"|\bhow\s+many\s+(?:(?:million|billion|thousand)\s+)?(?:sek|kronor|crowns)\b"
    r"|\bhow\s+many\s+(?:million|billion)\b"
    # "Vilken budget har digitaliseringsenheten?", "What budget does the unit have?": one
    # sum ("Vilka kostnader …" may ask which kinds of cost).
    r"|\bvilk(?:en|et)\s+(?:(?:årlig|årliga|total|totala|samlad|samlade)\s+)?"
    r"(?:budget(?:ram)?|kostnad|anslag|driftanslag|investering)\b"
    r"|\bwhat\s+(?:(?:annual|yearly|total)\s+)?(?:budget|cost|grant|allocation)\s+"
    r"(?:does|did|do|has|have|had|is|was)\b"
    r"|\bhur\s+stor\w*\s+(?:summa|budget\w*|kostnad\w*|anslag\w*|belopp)\b"
    # "Hur stor är Huddinges digitaliseringspott …": the size of a sum of money.
    r"|\bhur\s+stor\w*\s+(?:är|var|blir|blev)\s+(?:[\w-]+\s+){0,3}?"
    r"[\w-]*(?:pott|fond|budget|anslag|belopp|summa|kostnad|satsning|investering)\w*"
    r"|\bhow\s+(?:big|large)\s+(?:is|was|are|were)\s+(?:[\w'-]+\s+){0,3}?"
    r"(?:pot|fund|budget|grant|allocation|investment)s?\b"
    # "What is the total 2020 budget frame of …", "Vad var den totala kostnaden …": a sum.
    r"|\bwhat\s+(?:is|was|are|were)\s+(?:the\s+)?(?:[\w'-]+\s+){0,3}?"
    r"(?:budget(?:\s+frame)?|cost|grant|allocation|appropriation|sum|amount)s?\b"
    r"(?!\s+(?:process|model|plan|work|cycle|of\s+(?:work|time)))"
    r"|\bvad\s+(?:är|var|blir|blev)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:budget(?:en|ramen)|kostnaden|kostnaderna|anslaget|beloppet|summan)\b"
    # "Hur stor ökning av finansieringen …": the size of a change in money.
    r"|\bhur\s+stor\w*\s+(?:ökning|höjning|minskning|sänkning|förstärkning|tillskott)\w*\s+"
    r"(?:\w+\s+){0,3}?(?:finansiering|budget|medel|anslag|resurs|pengar|kostnad)\w*"
    r"|\bhow\s+(?:large|big|much)\s+(?:of\s+)?(?:an?\s+)?(?:increase|rise|cut|reduction)\s+"
    r"(?:\w+\s+){0,3}?(?:funding|budget|money|resources|grant|costs?)\b"
    r"|\bhow\s+(?:large|big|high)\b.*\b(?:budget|fund|grant|amount|cost|sum|allocation)\w*",
    _I,
)
# Money named in the question: a share does not answer it ("hur mycket pengar").
_MONEY = re.compile(
    r"\b(?:pengar|kronor|kr|sek|mnkr|mkr|tkr|money|kost\w*|cost\w*|spend\w*|spent)\b", _I
)
_PERCENT = re.compile(
    r"\b(?:what|which)\s+(?:is|was|are|were)\s+the\s+[\w-]+\s+rate\b|\bhur\s+stor\s+andel\b|\bvilken\s+andel\b|\bhur\s+många\s+procent\b"
    r"|\bwhat\s+(?:share|percentage|proportion)\b"
    # "Hur mycket av de 200 mnkr …" / "how much of" is answered by an amount or a share:
    # an amount question (which accepts both), not a share question.
    r"|\bhur\s+stor\s+(?:del|av)\b|\bhow\s+many\s+per\s*cent\b"
    r"|\bhur\s+stor\s+del\b|\bandel\s+(?:av|som)\b.*\?"
    # The target set for a share ("Vilket mål har nämnden för 2021 för andelen …", "What
    # target does the budget set for the share of …"): a percentage, of a goal's column.
    r"|\b(?:vilket|vilka)\s+(?:mål|målvärde)\w*\b(?=[^?]*\bandel)"
    r"|\bwhat\s+(?:target|goal)s?\b(?=[^?]*\b(?:share|percentage|proportion)\b)",
    _I,
)
_COUNT = re.compile(
    # A score is a number: "What satisfaction score (NKI) did staff give …?".
    r"\b(?:what|which)\s+(?:[\w-]+\s+){0,2}?(?:score|rating)s?\b|\bvilket\s+(?:\w+\s+)?betyg\b"
    r"|\bhur\s+många\b|\bhow\s+many\b|\bantal(?:et)?\b|\bnumber\s+of\b|\bhur\s+ofta\b"
    r"|\bhow\s+often\b|\bhur\s+stor\b|\bhow\s+(?:large|big)\b",
    _I,
)
_NEGATIVE = re.compile(
    r"\b(?:saknar|saknas|saknade|inte|ej|utan|icke|inga|ingen|inget|brist\w*|otillräcklig\w*|"
    # The same words of want as the sentences' polarity reads ("otydligt", "oklar").
    r"otydlig\w*|oklar\w*|ofullständig\w*|unclear|insufficient\w*|inadequate\w*|incomplete|"
    r"lack\w*|missing|absent|none|nothing|ingenting|"
    r"without|not|no|never|fail\w*|haven't|hasn't|don't|doesn't|didn't|aren't|isn't|"
    r"wasn't|weren't)\b",
    _I,
)
# The auditors' conclusion about a quantity ("Vad drar revisorerna för slutsats om hur mycket
# manuellt arbete som finns kvar?", "What do they conclude about how many …"): the
# judgement is asked, not the number.
_JUDGED_QUANTITY = re.compile(
    r"\b(?:slutsats\w*|bedömning\w*|bedömer|bedöms|conclu\w*|assess\w*|verdict)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:om|kring|gällande|angående|about|on|of|regarding)\s+(?:hur|how)\b",
    _I,
)
_PARTIAL = re.compile(
    r"\b(?:delvis|partly|partially|to\s+some\s+extent|i\s+viss\s+mån|"
    # "In which municipalities have only some, not all, of the boards decided …"
    r"(?:only\s+)?some\W+(?:but\s+)?not\s+all|not\s+all\s+of|only\s+some\s+of|"
    r"endast\s+vissa|bara\s+vissa|(?:några|vissa)\W+(?:men\s+)?inte\s+alla|inte\s+alla\s+av)\b",
    _I,
)
# A contrast, not a lack: "faktiskt genomförts – inte bara planerats", "inte under
# kommunstyrelsens förvaltning utan i en separat serviceförvaltning", "taken by the
# municipal director rather than by the politicians". The negated words are the
# alternative the question sets aside; the question asks for what is there.
_CONTRAST = re.compile(
    r"\b(?:inte|ej)\s+(?:bara|endast|enbart|minst)\b"
    r"|\b(?:inte|ej)\s+(?:[\w-]+\s+){1,6}?utan\b"
    r"|\bnot\s+(?:just|only|merely|least)\b|\brather\s+than\b|\binstead\s+of\b"
    r"|\bnot\s+(?:[\w-]+\s+){1,6}?but\s+(?:in|by|at|on|through|from|as)\b",
    _I,
)
# Targets met or not: the verdicts of a goal table answer it ("Uppfyllt", "Delvis uppfyllt").
_FULFIL = re.compile(
    r"\b(?:met|meet|meets|achieved?|reached|fulfil+(?:ed|s)?|uppfyll\w*|uppnått|uppnådde|"
    r"nått|nådde|klarat|klarade)\b",
    _I,
)
# How boards answered or acted on the audit. Only verbs: the nouns "follow-up",
# "uppföljning", "åtgärder" and words such as "responsibilities" are what a
# recommendation is about, not a question about the boards' responses.
_RESPONSE = re.compile(
    r"\bsvar(?:ar|ade|at|et|en)?\b|\byttrande\w*|\brespon(?:d|ds|ded|ding|se|ses)\b"
    r"|\brepl(?:ied|y|ies)\b|\breact(?:ed|s|ion|ions)?\b"
    # "What did the social welfare board answer to the audit?" ("Which questions does the
    # audit answer?" asks for the audit questions).
    r"|\banswer(?:ed|s)?\s+(?:to\s+)?(?:the\s+)?(?:[\w-]+\s+)?(?:audit|review|report|auditors)\b"
    r"|\b(?:board|committee|council)\b[^?.]*\banswer(?:ed)?\b"
    r"|\bföljt\s+upp\b|\bföljde\s+upp\b|\bfollowed\s+up\b"
    r"|\b(?:did|do|does|have|has|had)\b[^?.]*\bfollow\s+up\b"
    r"|\båtgärdat\b|\bvidtagit\s+åtgärder\b|\bmeasures?\s+(?:were\s+|have\s+been\s+)?taken\b|\btaken\s+measures\b",
    _I,
)


# Which firm carried out the audit: the report names it, the question's words rarely
# occur in it ("revisionsbolag", "audit firm").
_AUDITOR = re.compile(
    r"\b(?:revisionsbolag\w*|revisionsbyrå\w*|revisionsfirm\w*|"
    r"audit(?:ing)?\s+firms?|accounting\s+firms?)\b"
    r"|\bvem\s+(?:har\s+)?(?:genomfört|genomförde|skrev|skrivit|utförde|utfört|gjorde|gjort)"
    # "Vem gjorde digitaliseringsgranskningen …": the audit as a compound too.
    r"\s+(?:\w*granskning|\w*rapport)\w*"
    r"|\bwho\s+(?:carried\s+out|conducted|performed|did|wrote|made)\s+(?:the\s+|this\s+)?"
    r"(?:[\w-]+\s+)?(?:audit|review|report|examination)\b",
    _I,
)


# A consultancy is the auditor's firm only when the audit is asked about ("Vilket
# konsultföretag genomförde granskningen?"), not one hired to draw up a strategy.
_CONSULTANCY = re.compile(
    r"\b(?:konsultbolag\w*|konsultföretag\w*|consulting\s+firms?|consultanc(?:y|ies))\b", _I
)
_THE_AUDIT = re.compile(r"\b\w*(?:gransk|revision|revisor|audit|review|rapport|report)\w*", _I)

# "Vilka nämnder omfattas av granskningen?", "Which boards did the audit cover?": the
# boards the audit covers (its scope), with a word for the audit unless the verb says it
# ("Vilka nämnder granskades?", "Which committees were audited?"). Not a set of boards by
# what they have or lack ("Vilka av de granskade nämnderna saknar planer?").
_BODIES = r"(?:styrelse(?:r|rna)?|nämnd(?:er|erna)?|boards?|committees?|bodies)"
_SCOPE_VERB = (
    r"(?:omfatta(?:s|des|ts|r|de)?|ingår|ingick|ingått|avser|avsåg|berörs|berördes|"
    r"cover(?:s|ed)?|includ(?:e|es|ed)|concern(?:s|ed)?)"
)
_AUDITED = r"(?:granska(?:s|des|ts)|audited|reviewed|examined)"
_SCOPE_ASKED = re.compile(
    rf"\b(?:vilka|vilken|which|what|hur\s+många|how\s+many)\s+(?:\w+\s+){{0,2}}?{_BODIES}"
    rf"(?:\s+(?:och|and)\s+{_BODIES})?\b"
    rf"(?=[^?]*\b(?:{_AUDITED}|{_SCOPE_VERB}\b[^?]*\b(?:gransk|revision|audit|review)\w*|"
    rf"(?:gransk|revision|audit|review)\w*\b[^?]*\b{_SCOPE_VERB})\b)",
    _I,
)
_NOT_SCOPE = re.compile(
    r"\b(?:saknar|saknade|lack\w*|brist\w*|rekommend\w*|recommend\w*|svar\w*|repl\w*|"
    r"(?:har|hade)\s+(?!granskats|omfattats|ingått)|(?:have|has|had)\s+(?!been\b)|"
    r"som\s+(?!omfatta|granska|ingår|ingick|berör))",
    _I,
)


# "Vilka brister ser revisorerna i Örebro?", "What shortcomings did the auditors find?":
# what the auditors found lacking, which their assessments say.
SHORTCOMINGS = re.compile(
    r"\b(?:brist(?:er|erna|ande)?|svagheter(?:na)?|svaga\s+punkter|problem(?:en)?|"
    r"förbättringsområden(?:a)?|utvecklingsområden(?:a)?|shortcomings?|weakness(?:es)?|"
    r"deficienc(?:y|ies)|flaws?|problems|weak\s+points|"
    r"areas?\s+(?:for|of|in\s+need\s+of)\s+improvement)\b",
    _I,
)
# The words of asking for them, and of who found them: no topic of their own.
_SHORTCOMING_FRAME = re.compile(
    r"\b(?:vilka|vilken|vad|which|what|finns|fanns|are|were|is|was|there|did|do|does|"
    r"ser|såg|sett|hittade|hittat|fann|funnit|pekar|pekade|påtalar|påtalade|lyfter|lyfte|"
    r"identifierade|identifierat|konstaterade|konstaterat|find|found|see|saw|identif\w*|"
    r"point\w*|note\w*|raise\w*|revisor\w*|auditors?|granskning\w*|audits?|reviews?|"
    r"rapport\w*|reports?|kpmg\w*|pwc\w*|ey|deloitte\w*|enligt|according|to|i|in|the|"
    r"av|of|med|with|om|about|på|on)\b",
    _I,
)


def asks_shortcomings(question: str) -> str | None:
    """When ``question`` asks what the auditors found lacking, what is left of it once the
    words for shortcomings and for asking are taken out ("i Örebros
    digitaliseringsarbete", "uppföljningen"), else None."""
    if not SHORTCOMINGS.search(question):
        return None
    return _SHORTCOMING_FRAME.sub(" ", SHORTCOMINGS.sub(" ", question))


def asks_scope(question: str) -> bool:
    """Whether ``question`` asks which boards the audit covers."""
    return bool(_SCOPE_ASKED.search(question)) and not _NOT_SCOPE.search(question)


# How the audit was done: "Hur genomfördes granskningen?", "Vilka dokument har granskats?",
# "Vem intervjuades?", "Which documents did KPMG study?", "Who was interviewed?" ("de
# intervjuade", the interviewees, say things: no method).
_METHOD_ASKED = re.compile(
    r"\bhur\s+(?:genomfördes|gjordes|utfördes|gick)\s+(?:\w+\s+){0,3}?granskning"
    r"|\bhur\s+har\s+(?:[\w:]+\s+){0,3}?granskning\w*\s+(?:[\w:]+\s+){0,4}?"
    r"(?:genomförts|gjorts|utförts|gått\s+till)"
    r"|\b(?:vilka|vilket|vilken|vad\s+för)\s+(?:\w+\s+){0,3}?dokument\w*\s+"
    r"(?:\w+\s+){0,3}?(?:granskades|har\s+granskats|studerades|har\s+studerats|ingick|har\s+"
    r"ingått|låg\s+till\s+grund|användes|gick\s+igenom|studerade|granskade|läste|använde|"
    r"(?:har\s+)?(?:studerat|granskat|läst|använt|gått\s+igenom))"
    r"|\b(?:vilka|vem|vilken)\b[^?]{0,60}?\b(?:intervjuades|har\s+intervjuats|blev\s+"
    r"intervjuade|intervjuade\s+(?:revisorerna|granskarna|kpmg|pwc|ey|deloitte|man)\b)"
    r"|\b(?:vilken|vilka)\s+metod"
    r"|\bhow\s+(?:was|were|did)\s+(?:\w+\s+){0,3}?(?:audit|review)\w*\s+(?:\w+\s+){0,2}?"
    r"(?:carried\s+out|done|conducted|performed|made)"
    r"|\bhow\s+did\s+(?:\w+\s+){0,2}?(?:carry\s+out|conduct|do|perform)\s+(?:\w+\s+){0,3}?"
    r"(?:audit|review)"
    r"|\b(?:which|what)\s+(?:\w+\s+){0,2}?documents?\s+(?:\w+\s+){0,3}?(?:were|was|did|have)"
    r"\b[^?]{0,40}?\b(?:stud\w+|review\w*|examin\w+|read|used|go\s+through|look\w*)"
    r"|\b(?:who|whom)\s+(?:was|were|did|have|had)\b[^?]{0,40}?\binterview"
    r"|\b(?:which|what)\s+(?:\w+\s+){0,3}?(?:were|was|did|have)\b[^?]{0,40}?\binterview(?:ed)?\b"
    r"(?!\s+(?:say|said|state|describe|mention|point|feel|think|see))"
    r"|\b(?:which|what)\s+method",
    _I,
)
# What part of the method is asked: the documents, the interviews, the fact check.
_METHOD_ASPECTS = (
    (re.compile(r"dokument|document|stud", _I), "dokument"),
    (re.compile(r"intervju|interview", _I), "intervju"),
    (re.compile(r"faktakontroll|sakgransk|fact[- ]?check", _I), "granska"),
)


# "Hur många …, och vilka är de?", "How many …, and in which roles?": a count and the
# things counted.
_AND_WHICH = re.compile(
    r"(?:,\s*|\s+)(?:och|and)\s+(?:(?:i|in|för|for|med|with)\s+)?"
    r"(?:vilka|vilken|vilket|vem|which|what|who)\b",
    _I,
)


# "Har alla styrelser …?", "Have all the boards …?": whether every board has it.
_WHETHER_ALL = re.compile(
    r"^\W*(?:har|hade)\s+(?:alla|samtliga)\b|^\W*(?:do|did|have|had)\s+all\b", _I
)


def asks_whether_all(question: str) -> bool:
    """Whether ``question`` asks if all of them have it (answered "not all" by a sentence
    on some of them)."""
    return _WHETHER_ALL.search(question) is not None


def asks_which_too(question: str) -> bool:
    """Whether ``question`` goes on to ask which (or who) after its first question."""
    return _AND_WHICH.search(question) is not None


def asks_method(question: str) -> bool:
    """Whether ``question`` asks how the audit was done (its documents, interviews,
    method)."""
    return bool(_METHOD_ASKED.search(question))


def method_aspect(question: str) -> str | None:
    """The word of the method's part a question asks about ("dokument", "intervju",
    "granska" for the fact check), found in the method findings' text; None for all."""
    return next((word for pattern, word in _METHOD_ASPECTS if pattern.search(question)), None)


@dataclass(frozen=True)
class Intent:
    """The kind of answer a question wants.

    Attributes:
        kind: recommendation, judgement, set, number, comparison or fact.
        polarity: For set questions (and judgements): what the listed boards must have
            ("positive"), lack ("negative") or have in part ("partial").
        target: For set questions: "boards" or "municipalities".
        number: For number questions: amount, percent, date or count.
        boards: Boards named in the question ("Vad rekommenderas kommunstyrelsen?").
        about_responses: The question asks how boards answered or followed up the audit.
        about_auditor: The question asks which firm carried out the audit.
        fulfilment: A set question about targets met or not ("Which boards met their
            targets?", "Vilka nämnder uppfyllde målen?"): the verdicts answer it.
    """

    kind: IntentKind
    polarity: Polarity = "positive"
    target: Literal["boards", "municipalities"] | None = None
    number: NumberKind | None = None
    boards: tuple[str, ...] = field(default=())
    about_responses: bool = False
    about_auditor: bool = False
    fulfilment: bool = False


# "Vilken nämnd i Huddinge ska utreda …", "Which committee is to investigate …": one board
# asked for, not a set of them ("Vilka nämnder …", "Which committees …").
_ONE_BOARD = re.compile(
    r"\b(?:vilken|which)\s+(?:[\w-]+\s+){0,2}?(?:nämnd|styrelse|förvaltning|committee|board|"
    r"administration)(?:'s)?\b",
    _I,
)


def asks_one(question: str) -> bool:
    """Whether a set question asks for one board ("Vilken nämnd …?", "Which committee …?")."""
    return _ONE_BOARD.search(question) is not None


# "Vilken nämnd fick störst andel …", "which committee received the largest share": a
# ranking by numbers, not a set the findings' polarity answers.
_SUPERLATIVE = re.compile(
    r"\b(?:störst\w*|högst\w*|lägst\w*|minst|mest|flest|längst\w*|bäst\w*|sämst\w*|"
    r"largest|biggest|highest|lowest|smallest|most|least|fewest|best|worst)\b",
    _I,
)


def classify(question: str, municipalities: int = 0) -> Intent:
    """The intent of ``question`` (Swedish or English).

    Args:
        question: The question as asked (a resolved follow-up included).
        municipalities: How many municipalities of the corpus the question names; two or
            more make a comparison unless the question asks for something more specific.
    """
    text = " ".join(question.split())
    asked = asked_sentence(text)
    about_auditor = bool(
        _AUDITOR.search(asked) or (_CONSULTANCY.search(asked) and _THE_AUDIT.search(asked))
    )
    intent = replace(_classify(asked, municipalities), about_auditor=about_auditor)
    if asked != text and not intent.boards and _BARE_BOARD.search(asked):
        # "Revisorerna rekommenderade stadsbyggnadsnämnden … Vilken förstärkning beskriver
        # nämnden i sitt svar?": the board is the one the statement names.
        named = {b.casefold(): b for b in find_boards(text[: len(text) - len(asked)])}
        named = {k: b for k, b in named.items() if k not in _BARE_BOARDS}
        if len(named) == 1:
            intent = replace(intent, boards=tuple(named.values()))
    return intent


# "nämnden", "styrelsen": a board the question names by what it is, not by its name.
_BARE_BOARDS = {"nämnden", "styrelsen"}
_BARE_BOARD = re.compile(rf"\b(?:{'|'.join(sorted(_BARE_BOARDS))})\b", re.IGNORECASE)


# A statement before the question ("PwC recommends involving the line managers. What does
# the SKL publication say about them?"): the question says what is asked, the statement
# only what it builds on.
_STATEMENT_END = re.compile(r"(?<=[.!])\s+(?=[A-ZÅÄÖ])")
MIN_ASKED_WORDS = 4


def asked_sentence(text: str) -> str:
    """The question of ``text`` without the statements before it; the whole text when it
    is one sentence or its question is too short to stand alone ("Vilka var de?")."""
    parts = _STATEMENT_END.split(text)
    last = parts[-1]
    if len(parts) > 1 and last.endswith("?") and len(last.split()) >= MIN_ASKED_WORDS:
        return last
    return text


# "Hur många nämnder finns i Botkyrka kommun?", "How many boards does Avesta have?", "How
# many administrations are there in Huddinge?": how many exist, with nothing said of them.
_COUNTS_UNITS = re.compile(
    rf"^\W*(?:hur\s+många|how\s+many)\s+{SET_NOUN}\s+"
    r"(?:(?:finns|fanns)(?:\s+det)?|(?:are|were)\s+there|har|hade|(?:does|did)\s+[\w'’-]+"
    r"(?:\s+(?:kommun|municipality))?\s+have)"
    r"(?:\s+(?:i|inom|in|within)\s+[\w'’-]+(?:\s+(?:kommun|municipality))?"
    r"|\s+[A-ZÅÄÖ][\w'’-]*(?:\s+(?:kommun|municipality))?)?\s*\?\s*$",
    _I,
)


# "Vilka kommuner utöver Avesta …", "Which municipalities other than Avesta …", "… har,
# liksom Avesta, …": the municipalities named after it are set aside.
_BESIDES = re.compile(
    r"\b(?:utöver|förutom|liksom|besides|apart\s+from|except(?:\s+for)?|like|än|than)"
    r"\s+(?:i\s+|in\s+)?(?P<names>[A-ZÅÄÖ][\w-]*(?:(?:\s*,\s*|\s+(?:och|and|or|eller)\s+)"
    r"[A-ZÅÄÖ][\w-]*)*)"
)


def set_aside(question: str, places: Sequence[str]) -> list[str]:
    """The ``places`` a question sets aside from the municipalities it asks about: "Vilka
    kommuner utöver Avesta och Botkyrka …" → Avesta, Botkyrka."""
    said = " ".join(m.group("names") for m in _BESIDES.finditer(question))
    words = re.findall(r"[\w-]+", said)
    return [p for p in places if any(w.startswith(p) for w in words)]


# "According to the care committee's reply, when is …": where the answer is said comes
# first; the question after it says what kind of answer it wants.
_SOURCE_FIRST = re.compile(r"^\W*(?:according\s+to|enligt)\s+[^,?]{3,120},\s*", _I)


def _classify(text: str, municipalities: int) -> Intent:
    boards = tuple(b for b in find_boards(text) if b.casefold() not in _BARE_BOARDS)
    core = _SOURCE_FIRST.sub("", text, count=1)
    # Of "Which have X – and which lack it?" the first question says what is asked.
    polarity = _polarity(first_set(text))
    # "…, and by when should the board respond?" asks for a deadline, not for a reply.
    first = first_ask(text)
    responses = bool(_RESPONSE.search(first))
    # "By how much did the analysis recommend increasing the resources?" asks for an amount,
    # not for the auditors' recommendations ("Hur många rekommendationer …" does).
    # "När bildades projektkontoret, och hur många månader efter … var det?": the first
    # question's kind is the answer's; the second gets its own sentence.
    number = number_kind(first_ask(core)) or number_kind(core)
    quantity = (
        number is not None
        and bool(_NUMBER_FIRST.match(core))
        and not _COUNTS_RECOMMENDATIONS.search(text)
    )
    # "Hur många nämnder finns i Botkyrka?" counts the organisation's boards: a number, not
    # the boards with a property.
    asked = None if _COUNTS_UNITS.search(core) else _SET.search(text)
    reports = _REPORTS_SET.search(text)
    # "Which reports mention …" asks for municipalities; otherwise the noun of the set
    # decides ("Which Örebro administration says … the municipality-wide work" asks for
    # administrations).
    places = bool(reports) or bool(asked and _PLACES_NOUN.search(asked.group(0)))
    if places and not reports and municipalities == 1 and not _BESIDES.search(text):
        # "Vilka kommuner samarbetar Avesta med kring Open-E?": the one municipality named
        # is not of the set asked for, nor are the others among the reports'. "Vilka
        # kommuner utöver Avesta …" asks for the reports' municipalities.
        asked, places = None, False
    # "Which boards note in their replies that the report holds further recommendations?"
    # asks which boards say so, not for the recommendations.
    replying = bool(_REPLY_ASKED.search(text)) and bool(asked)
    if _RECOMMEND.search(text) and not quantity and not replying:
        # "I vilka kommuner rekommenderade revisorerna …", "Which audits recommend …".
        return Intent(
            "recommendation",
            polarity,
            target="municipalities" if places else None,
            boards=boards,
            about_responses=responses,
        )
    if (reports or asked) and not _SUPERLATIVE.search(text):
        return Intent(
            "set",
            polarity,
            target="municipalities" if places else "boards",
            boards=boards,
            about_responses=responses,
            fulfilment=bool(_FULFIL.search(text)),
        )
    if (
        municipalities >= 2
        or (COMPARE_WORDS.search(text) and _PLACES_NOUN.search(text))
        or (municipalities == 0 and _HOW_ALL.search(core) and number is None)
    ):
        return Intent("comparison", polarity, boards=boards, about_responses=responses)
    if number is not None and not _JUDGED_QUANTITY.search(text):
        return Intent("number", polarity, number=number, boards=boards, about_responses=responses)
    if _JUDGE.search(text):
        return Intent("judgement", polarity, boards=boards, about_responses=responses)
    return Intent("fact", polarity, boards=boards, about_responses=responses)


# "Vad visade kompetensinventeringen?", "What did the review find?": the outcome of
# something done, which a sentence saying that it was done does not give.
_OUTCOME = re.compile(
    r"\bvad\s+(?:visade|visar|har\s+[\w-]+(?:\s+[\w-]+)?\s+visat|blev\s+resultatet|resulterade)\b"
    r"|\bvad\s+kom\b.*\bfram\s+till\b"
    r"|\bwhat\s+(?:did|does|has)\b.*\b(?:show|find|reveal|result\s+in|found|shown|revealed)\b"
    r"|\bwhat\s+(?:were|was|are|is)\s+the\s+(?:results?|findings?|outcomes?)\s+of\b",
    _I,
)


_OUTCOME_WORDS = re.compile(
    r"\b(?:visade|visar|visat|kom|fram\s+till|blev|resultat\w*|resulterade|show|shown|find|"
    r"found|reveal|revealed|result\s+in|results?|findings?|outcomes?)\b",
    _I,
)


# Asking for the boards' reply itself ("Vad svarade …", "according to their replies", "i
# sitt yttrande"), not whether recommendations were followed up (which the audit text may
# report).
_REPLY_ASKED = re.compile(
    r"\bsvar(?:ar|ade|at|et|en)?\b|\byttrande\w*|\brepl(?:y|ied|ies)\b|\brespon(?:d|ds|ded|se|ses)\b",
    _I,
)


def in_replies(text: str) -> bool:
    """Whether a question asks for the boards' own replies to the audit (what they answered
    or say in them), not whether they followed the audit up."""
    return bool(_REPLY_ASKED.search(text))


def asks_what_replied(text: str) -> bool:
    """Whether a (second) question asks what the boards replied ("och vad svarade de?",
    "and what did they reply?", "how did they respond?"), not which of them replied so."""
    return bool(_WHAT_REPLIED.match(text))


_WHAT_REPLIED = re.compile(
    r"\W*(?:och\s+|and\s+)?(?:vad|hur|what|how)\b[^?]{0,60}?\b(?:svar\w*|yttra\w*|repl\w*|"
    r"respon\w*|answer\w*)",
    _I,
)


def without_reply_words(text: str) -> str:
    """The question without the words that ask whether a reply was given to the audit
    ("har lämnat yttrande över granskningen", "responded to the audit report"), or given
    together with another board ("gemensamt"): what remains is what the replies are asked
    to say, if anything."""
    return _REPLY_FRAME.sub(" ", _JOINTLY.sub(" ", text))


# "Vilka nämnder lämnade ett gemensamt yttrande?", "Which committees replied jointly?".
_JOINTLY = re.compile(r"\b(?:gemensamt|gemensamma?|tillsammans|jointly|together|joint)\b", re.I)


def asks_joint_reply(text: str) -> bool:
    """Whether a question on who replied asks who replied together with another board."""
    return _JOINTLY.search(text) is not None


_REPLY_FRAME = re.compile(
    r"\b(?:lämna\w*|gett|gav|givit|skickat|skickade|inkommit|inkom|kommit\s+in|yttra\w*(?:\s+sig)?|"
    r"yttrande\w*|svar\w*|besvara\w*|repl(?:y|ied|ies)|respon(?:d|ds|ded|se|ses)|submit\w*|"
    r"sent|given|gave|statements?|granskning\w*|revision\w*|kommunrevision\w*|rapport\w*|"
    r"audit\w*|reports?|rekommendation\w*|recommendations?|sig)\b",
    _I,
)


def asks_outcome(text: str) -> bool:
    """Whether a question asks what something done (an analysis, a survey, a review)
    showed or found."""
    return bool(_OUTCOME.search(text))


def without_outcome_words(text: str) -> str:
    """The question without the words that ask for an outcome ("kom … fram till",
    "visade", "find"): what remains names what the outcome is of."""
    return _OUTCOME_WORDS.sub(" ", text)


def names_money(text: str) -> bool:
    """Whether a question names money ("pengar", "kronor", "money figure", "cost"): a set
    question about it ("which boards put a money figure on …") needs an amount."""
    return bool(_MONEY.search(text))


# ", and how much of it …", "och vilket utfall …", "och varför?": a second question.
_SECOND_ASK = re.compile(
    r",?\s+\b(?:and|och)\s+(?:(?:ungefär|cirka|ca|roughly|about|approximately)\s+)?"
    r"(?=(?:(?:by|until|senast)\s+)?"
    r"(?:how|hur|what|which|when|why|vilk\w*|vad|när|varför)\b)",
    _I,
)
MIN_PART_WORDS = 2


# The verbs recommendations are phrased with ("att en handlingsplan tas fram", "drawing
# up or adopting"): which municipalities got one on a topic is decided by what it is about.
_ACTIONS = re.compile(
    r"\b(?:tas|tagits|togs|arbetas|arbetats|ta)\s+fram\b|\b(?:antas|anta|antar|antogs|antagits|"
    r"upprätta\w*|fastställ\w*|inför\w*|utarbeta\w*|draw(?:ing|n|s)?\s+up|adopt\w*|"
    r"establish\w*|introduc\w*|set(?:ting)?\s+up|put\s+in\s+place)\b",
    _I,
)


def without_actions(text: str) -> str:
    """The question without the verbs a recommendation is phrased with."""
    return _ACTIONS.sub(" ", text)


def second_ask(text: str) -> str | None:
    """The second question of a two-part question ("Hur många aktiviteter innehåller
    planen och hur stor andel pågår?" → "hur stor andel pågår?"), or None."""
    m = _SECOND_ASK.search(text)
    if m is None or len(text[: m.start()].split()) < 3:
        return None
    rest = text[m.end() :].strip()
    return rest if len(rest.split()) >= MIN_PART_WORDS else None


def first_ask(text: str) -> str:
    """A two-part question without its second question when that one asks for a number
    ("När bildades projektkontoret, och hur många månader efter … var det?" → "När
    bildades projektkontoret,"); else the whole question."""
    second = second_ask(text)
    return text[: len(text) - len(second)] if second and number_kind(second) else text


# How long something holds: "Till och med vilket år gäller …", "Vilken period gäller …",
# "When does … expire?", "How long is … valid?": a date question, answered by a period.
ASKS_VALIDITY = re.compile(
    r"\btill\s+och\s+med\s+(?:vilket|när)\b|\bhur\s+länge\s+gäller\b"
    r"|\bvilken\s+(?:tids)?period\s+(?:gäller|omfattar|avser)\b"
    r"|\bnär\s+(?:upphör|slutar|löper|går)\b(?:[^?]*\but\b)?"
    r"|\bwhen\s+(?:does|did|will)\b[^?]*\b(?:expire|end|run\s+out|lapse)\b"
    r"|\buntil\s+when\b|\bwhat\s+period\s+(?:does|did)\b[^?]*\bcover\b"
    r"|\bhow\s+long\s+(?:is|was|will|does|did)\b[^?]*\b(?:valid|in\s+force|apply|run|last)\b",
    _I,
)


def number_kind(text: str) -> NumberKind | None:
    """Which kind of number a question asks for ("hur mycket", "när", "how many" …), or
    None when it asks for no quantity."""
    if _PERCENT.search(text):
        return "percent"
    if _AMOUNT.search(text):
        return "money" if _MONEY.search(text) else "amount"
    if _COUNT.search(text):
        return "count"
    # "When KPMG examined the object plans, what did it find …?": a clause of time before
    # the question, which asks what, not when.
    text = _WHEN_CLAUSE.sub("", text, count=1)
    if ASKS_VALIDITY.search(text):
        return "date"
    if _DAY.search(text):
        return "day"
    if _DATE.search(text):
        return "date"
    return None


_WHEN_CLAUSE = re.compile(
    r"^\W*(?:när|when)\b[^?,]{3,160},\s*(?=(?:what|which|who|how|why|vad|vilk\w*|vem|hur|"
    r"varför)\b)",
    _I,
)


# "Which boards have a starting value – and which have none?": a second set question after
# the first, with its own polarity.
_SECOND_SET = re.compile(
    r"\s*[–—;,-]?\s+(?:och|and|men|but)\s+(?=(?:(?:i|in|inom|within|hos|for|för)\s+)?"
    r"(?:vilk\w*|which)\s+\w+"
    # "… – och var kan medel bara beviljas för innevarande år?": where, not "was".
    r"|(?:var\s+(?:kan|kunde|har|hade|finns|fanns|saknas|saknades|är|ska|skulle|gäller)|"
    r"where)\s+\w+)",
    _I,
)
MIN_SET_WORDS = 4


def _set_parts(text: str) -> tuple[str, str | None]:
    for m in _SECOND_SET.finditer(text):
        head, rest = text[: m.start()], text[m.end() :]
        if len(head.split()) >= MIN_SET_WORDS and len(rest.split()) >= MIN_SET_WORDS - 1:
            return head.rstrip(" –—;,-") + "?", rest
    return text, None


def first_set(text: str) -> str:
    """The first of two set questions ("Vilka nämnder har X – och vilken saknar Y?" →
    "Vilka nämnder har X?"), or ``text`` when it asks one."""
    return _set_parts(text)[0]


def second_set(text: str) -> str | None:
    """The second of two set questions ("… – och vilken nämnd saknar Y?" → "vilken nämnd
    saknar Y?"), or None."""
    return _set_parts(text)[1]


def _polarity(text: str) -> Polarity:
    if _PARTIAL.search(text):
        return "partial"
    return "negative" if _NEGATIVE.search(_CONTRAST.sub(" ", text)) else "positive"
