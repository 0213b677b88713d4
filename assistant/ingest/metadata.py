"""Document metadata: ``corpus/metadata.toml`` first, then what the text and name tell."""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from pathlib import Path

from pydantic import ValidationError

from assistant.errors import ConfigError
from assistant.models import DocMeta

METADATA_FILE = "metadata.toml"
_FIELDS = set(DocMeta.model_fields)
_MUNICIPALITY = re.compile(r"\b([A-ZÅÄÖ][a-zåäö]+(?:-[A-ZÅÄÖ][a-zåäö]+)?)s?\s+(?:kommun|stad)\b")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)-[01]\d-[0-3]\d(?!\d)")
_AUDITORS = {
    "PwC": re.compile(r"\bPwC\b|PricewaterhouseCoopers", re.I),
    "KPMG": re.compile(r"\bKPMG\b"),
    "EY": re.compile(r"\bEY\b|Ernst\s*&\s*Young"),
    "Deloitte": re.compile(r"\bDeloitte\b"),
    "BDO": re.compile(r"\bBDO\b"),
    "Grant Thornton": re.compile(r"Grant\s+Thornton"),
}
_NOT_PLACES = {"Varje", "Hela", "Vår", "Denna", "Den", "Samma", "Vilken", "Egen", "Annan"}


def load_metadata(corpus: Path) -> dict[str, DocMeta]:
    """Entries of ``<corpus>/metadata.toml`` by document name (empty when there is none).

    Raises:
        ConfigError: The file is not valid TOML or an entry has unknown or bad fields.
    """
    path = corpus / METADATA_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: cannot read the metadata file ({e})") from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: invalid TOML: {e}; fix the file or remove it") from e
    out: dict[str, DocMeta] = {}
    for name, entry in data.items():
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: '{name}' must be a table like [\"{name}\"] with fields")
        unknown = set(entry) - _FIELDS
        if unknown:
            raise ConfigError(
                f"{path}: '{name}' has unknown field(s) {', '.join(sorted(unknown))}; "
                f"use {', '.join(sorted(_FIELDS))}"
            )
        try:
            out[name] = DocMeta.model_validate(entry)
        except ValidationError as e:
            first = e.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            raise ConfigError(f"{path}: '{name}' field {field}: {first['msg']}") from e
    return out


def infer_meta(name: str, text: str) -> DocMeta:
    """Municipality, year, auditor, type and title guessed from the file name and text."""
    head = text[:6000]
    stem = Path(name).stem
    places = Counter(m for m in _MUNICIPALITY.findall(head) if m not in _NOT_PLACES)
    municipality = places.most_common(1)[0][0] if places else None
    if municipality is None and re.match(r"[A-Za-zåäöÅÄÖ]{3,}", stem):
        municipality = re.split(r"[-_ ]", stem)[0].capitalize()
    year_in_name = _YEAR.search(stem)
    dated = _DATE.search(head)
    year = int(year_in_name.group(1)) if year_in_name else None
    if year is None and dated:
        year = int(dated.group(1))
    auditors = {a: len(p.findall(text)) for a, p in _AUDITORS.items()}
    auditor = max(auditors, key=lambda a: auditors[a]) if any(auditors.values()) else None
    lowered = f"{stem} {head[:1500]}".lower()
    if "svar" in stem.lower() or "yttrande" in stem.lower():
        doc_type = "svar på granskning"
    elif "granskning" in lowered or "revisionsrapport" in lowered:
        doc_type = "granskningsrapport"
    else:
        doc_type = None
    return DocMeta(
        municipality=municipality,
        year=year,
        auditor=auditor,
        doc_type=doc_type,
        title=_title(head),
    )


def merge(explicit: DocMeta | None, inferred: DocMeta) -> DocMeta:
    """``explicit`` fields win; the rest come from ``inferred``."""
    if explicit is None:
        return inferred
    given = explicit.model_dump(exclude_none=True)
    return inferred.model_copy(update=given)


def _title(head: str) -> str | None:
    for line in head.splitlines():
        line = " ".join(line.replace("*", "").split())
        if 10 <= len(line) <= 120 and re.search(r"granskning", line, re.I):
            return re.sub(r"^(Revisionsrapport\s*[:–-]?\s*)", "", line).strip(' ”"')
    return None
