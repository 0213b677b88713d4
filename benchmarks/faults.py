"""Fault run: hostile files, hostile queries, a damaged index folder, races, kill -9, a full
disk and read-only folders, each through the real ``granska`` command in a child process.

    .venv/bin/python benchmarks/faults.py [--only files,queries,damage,races,kill,disk,readonly]
                                         [--real-model] [--timeout 180]

Every case ends in one outcome (the worst that happened):

- clean      handled: the right result, or a one-line error/warning naming the problem
- repaired   the index was damaged and plain ``granska index`` made it equal to a clean build
- traceback  a Python traceback or an unexpected exit status
- wrong      exit 0 with a wrong result (garbled text, wrong passages, escape codes shown,
             output that is not valid UTF-8 JSON, a file read from outside the corpus)
- hang       a command did not finish within ``--timeout`` seconds
- dead end   neither ``granska index`` nor ``granska index --full`` can recover

The target is 0 traceback, 0 wrong, 0 hang, 0 dead end. By default a deterministic hashing
embedder stands in for the model (the commands are otherwise the real ones); pass
``--real-model`` to use the bundled model (slow). Full-disk and read-only cases mount a
small tmpfs / a read-only bind mount in a user namespace (``unshare -rm``) and are skipped
where that is not allowed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTCOMES = ("clean", "repaired", "traceback", "wrong", "hang", "dead end")
CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")
PASSWD_LINE = re.compile(r"root:[^:\n]*:0:0:")

DOCS = {
    f"{place.lower()}-{year}-granskning.txt": (
        f"Granskning av digitalisering\n\n{place} kommun\n\nSammanfattning\n\n"
        f"Revisorerna i {place} bedömer att kommunstyrelsen {verb} en digitaliseringsstrategi. "
        f"Socialnämnden har {what} för digitalisering och e-tjänster.\n\n"
        f"Rekommendationer\n\nKommunstyrelsen bör följa upp {topic} årligen. "
        f"Utbildningsnämnden har inte genomfört någon riskanalys av {topic}.\n"
    )
    for place, year, verb, what, topic in [
        ("Alfa", 2021, "saknar", "ingen handlingsplan", "informationssäkerheten"),
        ("Beta", 2022, "har", "en tydlig plan", "verksamhetssystemen"),
        ("Gamma", 2023, "delvis har", "mål men inga aktiviteter", "e-arkivet"),
        ("Delta", 2020, "saknar", "inga mätbara mål", "upphandlingen av IT"),
    ]
}
QUERY = "riskanalys av verksamhetssystemen och handlingsplan för e-tjänster"

# The child: the real CLI, with a hashing embedder unless --real-model.
CHILD = """
import hashlib, re, sys
import numpy as np
if not {real}:
    class HashEmbedder:
        normalized = True
        dim = 64
        model_id = "fault-hash-64"
        def _vec(self, text):
            v = np.zeros(self.dim, dtype=np.float32)
            for w in re.findall(r"\\w+", text.lower())[:2000]:
                seed = int.from_bytes(hashlib.sha256(w.encode()).digest()[:8], "little")
                v += np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
            n = float(np.linalg.norm(v))
            return v / n if n else v
        def embed_passages(self, texts):
            return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, 64), "f4")
        def embed_query(self, text):
            return self._vec(text)
    import assistant.indexing, assistant.search.retriever
    make = lambda *a, **k: HashEmbedder()
    assistant.indexing.make_embedder = assistant.search.retriever.make_embedder = make
from assistant.cli import main
sys.exit(main(sys.argv[1:]))
"""


@dataclass
class Run:
    code: int | None  # None: timed out
    out: bytes
    err: bytes

    @property
    def traceback(self) -> bool:
        return b"Traceback (most recent call last)" in self.err or (
            self.code is not None and self.code not in (0, 1, 2)
        )

    @property
    def clean_error(self) -> bool:
        lines = [ln for ln in self.err.decode("utf-8", "replace").splitlines() if ln.strip()]
        return self.code == 1 and len(lines) == 1 and lines[0].startswith("granska: ")


@dataclass
class Case:
    category: str
    name: str
    outcome: str = "clean"
    note: str = ""

    def worse(self, outcome: str, note: str = "") -> None:
        if OUTCOMES.index(outcome) > OUTCOMES.index(self.outcome):
            self.outcome, self.note = outcome, note


@dataclass
class Env:
    """One workspace: a corpus, an index, and how to run granska on them."""

    root: Path
    real: bool
    timeout: float
    wrap: Sequence[str] = ()
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def corpus(self) -> Path:
        return self.root / "corpus"

    @property
    def index(self) -> Path:
        return self.root / "index"

    def granska(self, *args: str | bytes, env: dict[str, str] | None = None) -> Run:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("GRANSKA_", "LC_"))}
        base.pop("PYTHONIOENCODING", None)
        full = {
            **base,
            "PYTHONPATH": str(ROOT),
            "HF_HUB_OFFLINE": "1",
            "GRANSKA_CORPUS": str(self.corpus),
            "GRANSKA_INDEX": str(self.index),
            "GRANSKA_DATA_DIR": str(self.root / "data"),  # never the user's own
            **self.extra_env,
            **(env or {}),
        }
        code = CHILD.format(real=self.real)
        argv = [*self.wrap, sys.executable, "-c", code, *args]
        try:
            done = subprocess.run(argv, env=full, capture_output=True, timeout=self.timeout)
        except subprocess.TimeoutExpired as e:
            return Run(None, e.stdout or b"", e.stderr or b"")
        return Run(done.returncode, done.stdout, done.stderr)

    def results(self) -> tuple[Run, list[tuple[str, int, int, float]] | None]:
        """Hybrid search results of QUERY (doc, start, end, score), None when it failed."""
        run = self.granska("search", QUERY, "--k", "10", "--json")
        if run.code != 0:
            return run, None
        hits = json.loads(run.out.decode("utf-8"))["hits"]
        return run, [(h["doc"], h["start"], h["end"], round(h["score"], 6)) for h in hits]


def fresh(parent: Path, real: bool, timeout: float, docs: dict[str, str] | None = None) -> Env:
    root = Path(tempfile.mkdtemp(prefix="case-", dir=parent))
    env = Env(root, real, timeout)
    env.corpus.mkdir()
    for name, text in (docs or DOCS).items():
        (env.corpus / name).write_text(text, encoding="utf-8")
    return env


def _show(name: str) -> str:
    """``name`` printable in this report: control characters and bad bytes as escapes."""
    raw = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: f"\\x{ord(m.group(0)):02x}", raw)


def check(case: Case, run: Run, what: str) -> bool:
    """Record a hang or traceback of ``run``; True when it finished without one."""
    if run.code is None:
        case.worse("hang", f"{what}: no end within the timeout")
        return False
    if run.traceback:
        tail = run.err.decode("utf-8", "replace").strip().splitlines()[-1:]
        case.worse("traceback", f"{what}: {tail[0] if tail else run.code}")
        return False
    return True


def no_escapes(case: Case, run: Run, what: str) -> None:
    for stream in (run.out, run.err):
        if CONTROL.search(stream.replace(b"\n", b"")):
            case.worse("wrong", f"{what}: a control character reached the terminal")


# ---------------------------------------------------------------- hostile corpus files

REPORT = (
    "Mål och strategier för digitalisering\n\nRevisorerna bedömer att nämnderna saknar mål "
    "för digitaliseringen – även i år. Kommunstyrelsen ska följa upp arbetet.\n\n"
    + "Nämnderna har inte följt upp arbetet med e-tjänster och digitala verktyg. " * 8
    + "\n"
)


def _bomb(path: Path, megabytes: int) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Granskning av digitalisering")
    document.save(str(path))
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["word/document.xml"].decode()
    filler = "<w:p><w:r><w:t>" + "x" * 1000 + "</w:t></w:r></w:p>"
    parts["word/document.xml"] = xml.replace(
        "<w:sectPr", filler * (megabytes * 1000) + "<w:sectPr", 1
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


@dataclass
class BadFile:
    """A file to add to a good corpus; ``text``: what must be indexed (None: skipped with a
    warning naming it); ``shows``: what a search must print literally."""

    name: str
    make: Callable[[Path], None]
    text: str | None = None
    warns: bool = True
    shows: str | None = None


def _write(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _link(target: str) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(target)


def _loop(path: Path) -> None:
    path.symlink_to(path.with_name("loop-b.txt"))
    path.with_name("loop-b.txt").symlink_to(path)


def _socket(path: Path) -> None:
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))  # left bound: closing would not remove it anyway


def _sparse(size: int) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        with open(path, "wb") as f:
            f.write(b"Granskning ")
            f.truncate(size)

    return make


MD_TEXT = (
    "Granskning\n\nKostnaderna ökade från 2*3 till 4*5 miljoner kronor <script>x</script> "
    "och _inte_ [mer](http://x) än så. " + "Nämnderna följer upp arbetet med planerna. " * 6
)
ESC_TEXT = (
    "Granskning\n\nRöd \x1b[31mtext\x1b[0m, en \x1b]8;;http://evil\x1b\\länk\x1b]8;;\x1b\\ och "
    "\x1b[2J rensning. " + "Nämnderna följer upp arbetet med riskanalysen. " * 40
)
LONG_WORD = "Granskning " + "x" * 3_000_000 + "\n"
NO_SENTENCE_END = "Granskning\n\n" + " ".join(f"ord{i}" for i in range(600_000))
BAD_FILES = [
    BadFile("ord-2021.txt", _write(LONG_WORD.encode()), text=LONG_WORD, warns=True),
    BadFile("ff-2021.txt", _write(REPORT.encode() + b"\xff"), text=REPORT + "\ufffd", warns=True),
    BadFile(
        "dash-2021.txt",
        _write(REPORT.encode().replace("–".encode(), b"\x96")),
        text=REPORT.replace("–", "\ufffd"),
    ),
    BadFile("utf16bom-2021.txt", _write(REPORT.encode("utf-16")), text=REPORT, warns=False),
    BadFile("utf16le-2021.txt", _write(REPORT.encode("utf-16-le")), text=REPORT, warns=False),
    BadFile("utf16be-2021.txt", _write(REPORT.encode("utf-16-be")), text=REPORT, warns=False),
    BadFile("cp1252-2021.txt", _write(REPORT.encode("cp1252")), text=REPORT, warns=False),
    BadFile(
        "latin1-2021.txt",
        _write(REPORT.replace("–", "-").encode("latin-1")),
        text=REPORT.replace("–", "-"),
        warns=False,
    ),
    BadFile(
        "crlf-bom-2021.txt",
        _write(b"\xef\xbb\xbf" + REPORT.replace("\n", "\r\n").encode()),
        text=REPORT,
        warns=False,
    ),
    BadFile("esc-2021.txt", _write(ESC_TEXT.encode()), text=ESC_TEXT, warns=False),
    BadFile(
        "\x1b[2J\x1b]0;pwned\x07-2021.txt",
        _write(REPORT.encode()),
        text=REPORT,
        warns=False,
    ),
    BadFile("md-2021.txt", _write(MD_TEXT.encode()), text=MD_TEXT, warns=False, shows="2*3"),
    BadFile("passwd.txt", _link("/etc/passwd")),
    BadFile("loop-a.txt", _loop),
    BadFile("dangling.txt", _link("/nonexistent/granska-fault.txt")),
    BadFile("zero.txt", _link("/dev/zero")),
    BadFile("urandom.txt", _link("/dev/urandom")),
    BadFile("etc", _link("/etc")),
    BadFile("fifo.txt", lambda p: os.mkfifo(p)),
    BadFile("sock.txt", _socket),
    BadFile("bomb.docx", lambda p: _bomb(p, 120)),
    BadFile("huge.txt", _sparse(101 * 2**20)),
    BadFile(
        "sentence-2021.txt", _write(NO_SENTENCE_END.encode()), text=NO_SENTENCE_END, warns=True
    ),
    BadFile("empty.txt", _write(b"")),
    BadFile("blank.txt", _write(b" \n\t\n")),
    BadFile("binary.txt", _write(bytes(range(256)) * 400)),
    BadFile(
        "nul-2021.txt",
        _write(REPORT.encode().replace(b" ", b"\x00", 3)),
        text=REPORT.replace(" ", "", 3),
        warns=False,
    ),
    BadFile("broken.pdf", _write(b"%PDF-1.7\n1 0 obj <<")),
    BadFile("notzip.docx", _write(b"PK\x03\x04 not really a zip")),
    BadFile("image.txt", _write(b"\x89PNG\r\n\x1a\n" + os.urandom(20_000))),
    BadFile("unsupported.odt", _write(b"PK\x03\x04")),
]


def run_files(parent: Path, real: bool, timeout: float) -> list[Case]:
    cases = []
    for bad in [*BAD_FILES, BadFile("name-\udcff.txt", _write(REPORT.encode()))]:
        case = Case("hostile corpus files", _show(bad.name))
        cases.append(case)
        env = fresh(parent, real, timeout)
        path = Path(os.fsdecode(os.path.join(os.fsencode(env.corpus), os.fsencode(bad.name))))
        bad.make(path)
        index = env.granska("index")
        if not check(case, index, "index"):
            continue
        no_escapes(case, index, "index")
        if index.code != 0:
            case.worse("wrong", "one bad file stopped the build")
            continue
        listing = env.granska("corpus", "--json")
        if not check(case, listing, "corpus --json"):
            continue
        data = json.loads(listing.out.decode("utf-8"))
        docs = {d["doc"] for d in data["documents"]}
        if not set(DOCS) <= docs:
            case.worse("wrong", "good documents went missing")
        shown_name = os.fsdecode(os.fsencode(bad.name))
        stem = re.match(r"[A-Za-z0-9-]*", bad.name).group(0)  # type: ignore[union-attr]
        warned = any(stem in w for w in data["warnings"]) or stem.encode() in index.err
        if bad.text is None and shown_name in docs:
            case.worse("wrong", "indexed although it should be skipped")
        if bad.warns and not warned:
            case.worse("wrong", "no warning names the file")
        if bad.text is not None:
            search = env.granska("search", "revisorerna nämnderna granskning", "--k", "50")
            if not check(case, search, "search"):
                continue
            no_escapes(case, search, "search")
            if bad.shows and bad.shows.encode() not in search.out:
                case.worse("wrong", f"'{bad.shows}' not shown literally")
            text = _document_text(env, shown_name)
            if text is None:
                case.worse("wrong", "not indexed")
            elif text != bad.text:
                case.worse("wrong", f"text differs: {text[:60]!r}")
        if any(PASSWD_LINE.search(_document_text(env, d) or "") for d in docs):
            case.worse("wrong", "a file outside the corpus was indexed")
    return cases


def _document_text(env: Env, name: str) -> str | None:
    """The indexed text of ``name``, read from the live build (this script trusts it)."""
    try:
        build = env.index / (env.index / "CURRENT").read_text().strip()
        with open(build / "documents.jsonl", encoding="utf-8") as f:
            for line in f:
                doc = json.loads(line)
                if doc["doc"] == name:
                    return str(doc["text"])
    except (OSError, ValueError):
        return None
    return None


# ---------------------------------------------------------------- hostile queries

BAD_QUERIES: list[tuple[str, bytes]] = [
    ("invalid UTF-8 byte", b"riskanalys av verksamhetssystemen " + b"\xff?"),
    ("lone continuation bytes", b"\x80\x81 risk \xc3"),
    ("escape codes", b"risk \x1b[2J\x1b]0;pwned\x07 analys"),
    ("C1 control", "risk \x9b2J analys".encode()),
    ("empty", b""),
    ("only spaces", b"   \t "),
    ("only punctuation", b"?!.,;:"),
    ("100k characters", ("riskanalys " * 10_000).encode()),
    ("one 120k-letter word", b"x" * 120_000),
    ("Markdown and HTML", b"**risk** <script>alert(1)</script> [x](http://y) `kod`"),
    ("right-to-left override", "risk \u202eanalys\u202c".encode()),
    ("emoji and CJK", "riskanalys 🔥 中文".encode()),
    ("zero-width characters", "risk\u200banalys\ufeff".encode()),
    ("looks like an option", b"--k"),
    ("English", b"Which boards lack a risk analysis?"),
]
QUERY_ENVS = [{"PYTHONIOENCODING": "utf-8"}, {"LC_ALL": "C.UTF-8"}, {"PYTHONIOENCODING": "latin-1"}]


def run_queries(parent: Path, real: bool, timeout: float) -> list[Case]:
    env = fresh(parent, real, timeout)
    cases: list[Case] = []
    setup = env.granska("index")
    if setup.code != 0:
        raise SystemExit(f"cannot build the query workspace: {setup.err.decode()}")
    for name, query in BAD_QUERIES:
        for enc in QUERY_ENVS:
            label = ",".join(f"{k}={v}" for k, v in enc.items())
            for command in ("search", "ask"):
                case = Case("hostile queries", _show(f"{command} {name} [{label}]"))
                cases.append(case)
                args: list[str | bytes] = [command, "--json", "--", query]
                as_json = env.granska(*args, env=enc)
                if not check(case, as_json, "--json"):
                    continue
                if as_json.code == 0:
                    try:
                        json.loads(as_json.out.decode("utf-8"))
                    except ValueError:
                        case.worse("wrong", "JSON output is not valid UTF-8 JSON")
                    no_escapes(case, as_json, "--json")
                elif not as_json.clean_error:
                    case.worse("wrong", f"exit {as_json.code} without a one-line message")
                if enc is QUERY_ENVS[0]:
                    text = env.granska(command, "--", query, env=enc)
                    if check(case, text, "text"):
                        no_escapes(case, text, "text")
    return cases


# ---------------------------------------------------------------- a damaged index folder


def _build(env: Env) -> Path:
    return env.index / (env.index / "CURRENT").read_text().strip()


def _files(env: Env) -> list[str]:
    build = _build(env)
    return sorted(
        p.relative_to(build).as_posix()
        for p in build.rglob("*")
        if p.is_file() and not p.is_symlink()
    )


def _flip(rel: str) -> Callable[[Env], None]:
    def damage(env: Env) -> None:
        path = _build(env) / rel
        data = bytearray(path.read_bytes())
        if data:
            data[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(data))

    return damage


def _truncate(rel: str) -> Callable[[Env], None]:
    def damage(env: Env) -> None:
        path = _build(env) / rel
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    return damage


def _delete(rel: str) -> Callable[[Env], None]:
    return lambda env: (_build(env) / rel).unlink()


def _empty(rel: str) -> Callable[[Env], None]:
    return lambda env: (_build(env) / rel).write_bytes(b"")


def _relink(rel: str, target: str) -> Callable[[Env], None]:
    def damage(env: Env) -> None:
        path = env.index / rel if rel in ("CURRENT", ".lock", "cache") else _build(env) / rel
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
        path.symlink_to(target)

    return damage


def _lines(rel: str, edit: Callable[[list[bytes]], list[bytes]]) -> Callable[[Env], None]:
    def damage(env: Env) -> None:
        path = _build(env) / rel
        path.write_bytes(b"".join(edit(path.read_bytes().splitlines(keepends=True))))

    return damage


def _json_edit(rel: str, edit: Callable[[dict], None]) -> Callable[[Env], None]:  # type: ignore[type-arg]
    def damage(env: Env) -> None:
        path = _build(env) / rel
        data = json.loads(path.read_text())
        edit(data)
        path.write_text(json.dumps(data))

    return damage


def _numpy(rel: str, edit: Callable) -> Callable[[Env], None]:  # type: ignore[type-arg]
    def damage(env: Env) -> None:
        import numpy as np

        path = _build(env) / rel
        np.save(path, edit(np.load(path)))

    return damage


def _faiss(edit: Callable) -> Callable[[Env], None]:  # type: ignore[type-arg]
    def damage(env: Env) -> None:
        import faiss
        import numpy as np

        path = _build(env) / "vectors" / "vectors.faiss"
        index = faiss.read_index(str(path))
        x = edit(index.reconstruct_n(0, index.ntotal).copy())
        fresh_index = faiss.IndexFlatIP(index.d)
        fresh_index.add(np.ascontiguousarray(x, dtype=np.float32))
        faiss.write_index(fresh_index, str(path))

    return damage


def _cache(edit: Callable[[Path], None]) -> Callable[[Env], None]:
    def damage(env: Env) -> None:
        (folder,) = [p for p in (env.index / "cache").iterdir() if p.is_dir()]
        edit(folder)

    return damage


def _nan_cache(folder: Path) -> None:
    import numpy as np

    x = np.fromfile(folder / "vectors.f32", dtype="<f4")
    x[: x.size // 2] = np.nan
    x.tofile(folder / "vectors.f32")


def _swap_cache_keys(folder: Path) -> None:
    lines = (folder / "keys.jsonl").read_bytes().splitlines(keepends=True)
    (folder / "keys.jsonl").write_bytes(b"".join([lines[1], lines[0], *lines[2:]]))


def _shift_doc(lines: list[bytes]) -> list[bytes]:
    doc = json.loads(lines[0])
    doc["text"] = " " + doc["text"][:-1]
    return [json.dumps(doc, ensure_ascii=False).encode() + b"\n", *lines[1:]]


def _current_dir(env: Env) -> None:
    (env.index / "CURRENT").unlink()
    (env.index / "CURRENT" / "sub").mkdir(parents=True)


def damage_kinds(env: Env) -> dict[str, tuple[Callable[[Env], None], bool]]:
    """Damage name -> (apply it, whether it needs 'index --full' as the repair step)."""
    kinds: dict[str, tuple[Callable[[Env], None], bool]] = {}
    for rel in _files(env):
        kinds[f"{rel}: one bit flipped"] = (_flip(rel), False)
        kinds[f"{rel}: truncated to half"] = (_truncate(rel), False)
        kinds[f"{rel}: deleted"] = (_delete(rel), False)
        kinds[f"{rel}: emptied"] = (_empty(rel), False)
        kinds[f"{rel}: a link to /dev/zero"] = (_relink(rel, "/dev/zero"), False)
    pointer = lambda data: lambda env: (env.index / "CURRENT").write_bytes(data)  # noqa: E731
    kinds.update(
        {
            "CURRENT empty": (pointer(b""), False),
            "CURRENT names a missing build": (pointer(b"b-20990101-000000-000000-1\n"), False),
            "CURRENT ../x": (pointer(b"../x\n"), False),
            "CURRENT /etc": (pointer(b"/etc\n"), False),
            "CURRENT random bytes": (pointer(os.urandom(300)), False),
            "CURRENT a folder": (_current_dir, False),
            "CURRENT a link to /etc/passwd": (_relink("CURRENT", "/etc/passwd"), False),
            "CURRENT deleted": (lambda env: (env.index / "CURRENT").unlink(), False),
            "build folder deleted": (lambda env: shutil.rmtree(_build(env)), False),
            "chunks.jsonl line dropped": (_lines("chunks.jsonl", lambda ls: ls[1:]), False),
            "chunks.jsonl line duplicated": (
                _lines("chunks.jsonl", lambda ls: [ls[0], *ls[:-1]]),
                False,
            ),
            "chunks.jsonl lines swapped": (
                _lines("chunks.jsonl", lambda ls: [ls[1], ls[0], *ls[2:]]),
                False,
            ),
            "documents.jsonl line dropped": (_lines("documents.jsonl", lambda ls: ls[1:]), False),
            "documents.jsonl text shifted": (_lines("documents.jsonl", _shift_doc), False),
            "vectors.faiss rows shuffled": (_faiss(lambda x: x[::-1]), False),
            "vectors.faiss NaN row": (_faiss(lambda x: _set(x, 1, float("nan"))), False),
            "vectors.json ntotal wrong": (
                _json_edit("vectors/vectors.json", lambda d: d.update(ntotal=3)),
                False,
            ),
            "bm25 indices out of range": (
                _numpy("bm25/indices.csc.index.npy", lambda a: _set(a, 0, 10_000)),
                False,
            ),
            "bm25 ids remapped": (
                _numpy("bm25/indices.csc.index.npy", lambda a: (a + 1) % (int(a.max()) + 1)),
                False,
            ),
            "bm25 params backend numba": (
                _json_edit("bm25/params.index.json", lambda d: d.update(backend="numba")),
                False,
            ),
            "bm25 params wrong num_docs": (
                _json_edit("bm25/params.index.json", lambda d: d.update(num_docs=2)),
                False,
            ),
            "bm25 keyword options changed": (
                _json_edit(
                    "bm25/analyzer.json",
                    lambda d: d.update(keywords={"lemmas": False, "compounds": False}),
                ),
                False,
            ),
            "bm25 vocabulary shuffled": (
                _json_edit(
                    "bm25/vocab.index.json",
                    lambda d: d.update(zip(list(d), reversed(list(d.values())), strict=True)),
                ),
                False,
            ),
            "manifest n_chunks wrong": (
                _json_edit("manifest.json", lambda d: d.update(n_chunks=1)),
                False,
            ),
            "manifest model changed": (
                _json_edit("manifest.json", lambda d: d.update(model_id="other\x1b[2J")),
                False,
            ),
            "manifest newer schema": (
                _json_edit("manifest.json", lambda d: d.update(schema_version=99)),
                True,
            ),
            ".lock a folder": (
                lambda env: ((env.index / ".lock").unlink(), (env.index / ".lock").mkdir()),
                False,
            ),
            ".lock a link to /etc/passwd": (_relink(".lock", "/etc/passwd"), False),
            "cache a file": (
                lambda env: (shutil.rmtree(env.index / "cache"), (env.index / "cache").touch()),
                True,
            ),
            "cache a link to /etc": (_relink("cache", "/etc"), True),
            "cache vectors NaN": (_cache(_nan_cache), True),
            "cache keys swapped": (_cache(_swap_cache_keys), True),
            "cache keys garbage": (
                _cache(lambda f: (f / "keys.jsonl").write_bytes(os.urandom(500))),
                True,
            ),
            "cache vectors a link to /dev/zero": (
                _cache(
                    lambda f: (
                        (f / "vectors.f32").unlink(),
                        (f / "vectors.f32").symlink_to("/dev/zero"),
                    )
                ),
                True,
            ),
            "stray b-* file and link": (
                lambda env: (
                    (env.index / "b-stray").write_text("x"),
                    (env.index / "b-link").symlink_to("/etc"),
                ),
                False,
            ),
            "CURRENT.tmp a folder": (
                lambda env: (env.index / f"CURRENT.tmp-{os.getpid()}").mkdir(),
                False,
            ),
        }
    )
    return kinds


def _set(a, i, v):  # type: ignore[no-untyped-def]
    a[i] = v
    return a


def run_damage(parent: Path, real: bool, timeout: float) -> list[Case]:
    template = fresh(parent, real, timeout)
    if template.granska("index").code != 0:
        raise SystemExit("cannot build the damage workspace")
    _, baseline = template.results()
    kinds = damage_kinds(template)
    cases = []
    for name, (apply, full) in kinds.items():
        case = Case("damaged index folder", name)
        cases.append(case)
        env = Env(Path(tempfile.mkdtemp(prefix="case-", dir=parent)), real, timeout)
        shutil.copytree(template.corpus, env.corpus)
        shutil.copytree(template.index, env.index, symlinks=True)
        apply(env)
        first, found = env.results()
        if not check(case, first, "search"):
            continue
        no_escapes(case, first, "search")
        if PASSWD_LINE.search(first.err.decode("utf-8", "replace")):
            case.worse("wrong", "an error message echoed a file from outside")
        damaged = found is None
        if found is not None and found != baseline:
            case.worse("wrong", "search gave wrong passages")
        elif found is None and not first.clean_error:
            case.worse("wrong", "search failed without a one-line message")
        if case.outcome != "clean":
            continue
        repair = env.granska("index", "--full") if full else env.granska("index")
        if not check(case, repair, "index"):
            continue
        if repair.code != 0:
            if not repair.clean_error:
                case.worse("wrong", "index failed without a one-line message")
            retry = env.granska("index", "--full")
            if not check(case, retry, "index --full"):
                continue
            if retry.code != 0:
                case.worse("dead end", retry.err.decode("utf-8", "replace").strip()[:120])
                continue
        _, after = env.results()
        if after != baseline:
            case.worse("wrong", "after the repair the results differ from a clean build")
        elif damaged or b"Repaired" in repair.out:
            case.outcome = "repaired"
        outside = Path("/etc/passwd")
        if outside.exists() and not PASSWD_LINE.search(outside.read_text(errors="replace")):
            case.worse("wrong", "/etc/passwd changed")
    return cases


# ---------------------------------------------------------------- races and kill -9

READERS = """
import sys, time
from pathlib import Path
sys.argv = [sys.argv[0]]
exec(compile({child!r}.split("from assistant.cli import main")[0], "child", "exec"))
import assistant.search.retriever as r
from assistant.settings import Settings
settings = Settings(corpus=Path({corpus!r}), index=Path({index!r}))
stop = Path({stop!r})
opened = failed = 0
errors = set()
while not stop.exists():
    try:
        r.Retriever.open(settings.index, settings=settings)
        opened += 1
    except Exception as e:
        failed += 1
        errors.add(type(e).__name__ + ": " + str(e)[-120:])
print(opened, failed, sorted(errors))
"""


def run_races(parent: Path, real: bool, timeout: float, rebuilds: int = 40) -> list[Case]:
    big = "\n\n".join(
        f"Stycke {i}: revisorerna granskar nämndernas arbete med digitalisering nummer {i}."
        for i in range(300)
    )
    env = fresh(parent, real, timeout, {**DOCS, "stor-2024.txt": f"Granskning\n\n{big}\n"})
    env.granska("index")
    stop = env.root / "stop"
    code = READERS.format(
        child=CHILD.format(real=real), corpus=str(env.corpus), index=str(env.index), stop=str(stop)
    )
    penv = {**os.environ, "PYTHONPATH": str(ROOT), "GRANSKA_INDEX": str(env.index)}
    readers = [
        subprocess.Popen([sys.executable, "-c", code], env=penv, stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    time.sleep(2)
    builds = Case("races", f"{rebuilds} rebuilds while 3 processes open the index")
    for i in range(rebuilds):
        (env.corpus / "ändras.txt").write_text(f"Granskning nummer {i} av arkivet.\n")
        run = env.granska("index")
        check(builds, run, "index")
    stop.touch()
    opens = Case("races", "")
    total = failed = 0
    errors: list[str] = []
    for p in readers:
        out = p.communicate(timeout=timeout)[0].strip().split(" ", 2)
        if len(out) < 3 or p.returncode != 0:
            opens.worse("traceback", f"a reader process died (exit {p.returncode})")
            continue
        total += int(out[0])
        failed += int(out[1])
        errors.append(out[2])
    opens.name = f"{total} opens during the rebuilds, {failed} failed"
    opens.note = opens.name
    if failed:
        opens.worse("wrong", "; ".join(errors)[:200])
    return [builds, opens]


KILLED = """
import sys, time
from pathlib import Path
exec(compile({child!r}.split("from assistant.cli import main")[0], "child", "exec"))
import assistant.search.embed_cache as ec
real_put = ec.EmbeddingCache.put
def slow_put(self, *a, **k):
    Path({marker!r}).touch()
    time.sleep(0.02)
    return real_put(self, *a, **k)
ec.EmbeddingCache.put = slow_put
from assistant.cli import main
sys.exit(main(["index"]))
"""


def run_kills(parent: Path, real: bool, timeout: float, points: int = 20) -> list[Case]:
    template = fresh(parent, real, timeout)
    template.granska("index")
    clean = fresh(parent, real, timeout)
    new_doc = "Granskning av e-arkiv\n\nEpsilon kommun\n\nSammanfattning\n\n" + "".join(
        f"Arkivet saknar en e-arkivlösning och nämnd {i} gallrar inte handlingar. "
        for i in range(800)
    )
    (clean.corpus / "epsilon-2024.txt").write_text(new_doc)
    clean.granska("index")
    _, expected = clean.results()
    cases = []
    for i in range(points):
        delay = i * 0.06
        case = Case("kill -9 during a rebuild", f"after {delay * 1000:.0f} ms of embedding")
        cases.append(case)
        env = Env(Path(tempfile.mkdtemp(prefix="case-", dir=parent)), real, timeout)
        shutil.copytree(template.corpus, env.corpus)
        shutil.copytree(template.index, env.index, symlinks=True)
        (env.corpus / "epsilon-2024.txt").write_text(new_doc)
        marker = env.root / "embedding"
        code = KILLED.format(child=CHILD.format(real=real), marker=str(marker))
        penv = {**os.environ, "PYTHONPATH": str(ROOT), "GRANSKA_INDEX": str(env.index)}
        penv["GRANSKA_CORPUS"] = str(env.corpus)
        penv["GRANSKA_EMBED_BATCH"] = "1"
        proc = subprocess.Popen([sys.executable, "-c", code], env=penv)
        deadline = time.monotonic() + timeout
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        first, found = env.results()
        if not check(case, first, "search after kill"):
            continue
        if found is None:
            case.worse("wrong", "the previous index is not usable after kill -9")
            continue
        repair = env.granska("index")
        if check(case, repair, "index after kill") and repair.code != 0:
            case.worse("dead end", repair.err.decode()[:120])
            continue
        _, after = env.results()
        if after != expected:
            case.worse("wrong", "the next build differs from a clean one")
    return cases


# ---------------------------------------------------------------- full disk, read-only


def namespaces_work() -> bool:
    try:
        done = subprocess.run(
            ["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt && echo ok"],
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.stdout.strip() == b"ok"


DISK_SCRIPT = """
set -u
mount -t tmpfs -o size={size}k tmpfs {index}
cp -a {template}/. {index}/
cp {extra} {corpus}/
{granska} index > {root}/index.out 2> {root}/index.err; echo $? > {root}/index.code
{granska} search riskanalys --json > {root}/search.out 2> {root}/search.err
echo $? > {root}/search.code
ls -a {index} > {root}/ls.out
"""


def run_disk(parent: Path, real: bool, timeout: float) -> list[Case]:
    if not namespaces_work():
        return [Case("full disk", "skipped: user namespaces with tmpfs not allowed here")]
    cases = []
    template = fresh(parent, real, timeout)
    template.granska("index")
    used = sum(p.stat().st_size for p in template.index.rglob("*") if p.is_file()) // 1024
    for extra_kb, label in ((400, "while writing the build"), (4000, "while embedding")):
        case = Case("full disk", f"tmpfs {used + 256} KB, a new {extra_kb} KB report, {label}")
        cases.append(case)
        env = fresh(parent, real, timeout)
        env.index.mkdir()
        extra = env.root / "big-2024.txt"
        extra.write_text(
            "Granskning\n\n"
            + "".join(
                f"Mening nummer {i} om digitalisering och e-tjänster. "
                for i in range(extra_kb * 20)
            )
        )
        child = env.root / "child.py"
        child.write_text(CHILD.format(real=real))
        granska = (
            f"env PYTHONPATH={ROOT} GRANSKA_CORPUS={env.corpus} GRANSKA_INDEX={env.index} "
            f"GRANSKA_DATA_DIR={env.root / 'data'} {sys.executable} {child}"
        )
        script = DISK_SCRIPT.format(
            size=used + 256,
            index=env.index,
            template=template.index,
            extra=extra,
            corpus=env.corpus,
            granska=granska,
            root=env.root,
        )
        try:
            subprocess.run(["unshare", "-rm", "sh", "-c", script], timeout=timeout * 3)
        except subprocess.TimeoutExpired:
            case.worse("hang", "no end")
            continue
        index = Run(
            int((env.root / "index.code").read_text()),
            (env.root / "index.out").read_bytes(),
            (env.root / "index.err").read_bytes(),
        )
        search = Run(
            int((env.root / "search.code").read_text()),
            (env.root / "search.out").read_bytes(),
            (env.root / "search.err").read_bytes(),
        )
        if not (check(case, index, "index") and check(case, search, "search")):
            continue
        if index.code == 0:
            case.note = "the build fitted"
        elif not (index.clean_error and b"disk is full" in index.err):
            case.worse("wrong", f"not a one-line 'disk is full': {index.err[-200:]!r}")
        if search.code != 0:
            case.worse("wrong", "the previous index is not usable")
        builds = [n for n in (env.root / "ls.out").read_text().split() if n.startswith("b-")]
        if len(builds) != 1:
            case.worse("wrong", f"left {len(builds)} build folders")
        case.note = case.note or index.err.decode().strip()[:150]
    return cases


RO_SCRIPT = """
set -u
mount --bind {index} {index}
mount -o remount,bind,ro {index}
{granska} index > {root}/index.out 2> {root}/index.err; echo $? > {root}/index.code
{granska} search riskanalys > {root}/search.out 2> {root}/search.err; echo $? > {root}/search.code
{granska} ask "Vilka nämnder saknar riskanalys?" --conversation m > {root}/ask.out 2> {root}/ask.err
echo $? > {root}/ask.code
mkdir -p {data}
mount --bind {data} {data}
mount -o remount,bind,ro {data}
{granska} ask "Vilka nämnder saknar riskanalys?" --conversation n > {root}/ask-data.out \
    2> {root}/ask-data.err
echo $? > {root}/ask-data.code
"""


def run_readonly(parent: Path, real: bool, timeout: float) -> list[Case]:
    if not namespaces_work():
        return [Case("read-only folders", "skipped: user namespaces not allowed here")]
    env = fresh(parent, real, timeout)
    env.granska("index")
    (env.corpus / "ny-2024.txt").write_text("Granskning av e-arkiv i Epsilon kommun.\n")
    child = env.root / "child.py"
    child.write_text(CHILD.format(real=real))
    granska = (
        f"env PYTHONPATH={ROOT} GRANSKA_CORPUS={env.corpus} GRANSKA_INDEX={env.index} "
        f"GRANSKA_DATA_DIR={env.root / 'data'} {sys.executable} {child}"
    )
    data = env.root / "data"
    script = RO_SCRIPT.format(index=env.index, granska=granska, root=env.root, data=data)
    subprocess.run(["unshare", "-rm", "sh", "-c", script], timeout=timeout * 3)
    cases = []
    # Conversations live in the user's data folder (issue 15): 'ask --conversation' works on
    # a read-only index folder, and a read-only data folder is one clear line.
    steps = (
        ("index", "read-only", "granska index on a read-only index folder"),
        ("search", None, "granska search on a read-only index folder"),
        ("ask", None, "granska ask --conversation on a read-only index folder"),
        ("ask-data", "read-only", "granska ask --conversation with a read-only data folder"),
    )
    for step, must, title in steps:
        case = Case("read-only folders", title)
        cases.append(case)
        run = Run(
            int((env.root / f"{step}.code").read_text()),
            (env.root / f"{step}.out").read_bytes(),
            (env.root / f"{step}.err").read_bytes(),
        )
        if not check(case, run, step):
            continue
        if must is None and run.code != 0:
            case.worse("wrong", f"failed on a read-only index folder: {run.err[-160:]!r}")
        if step == "ask" and not (data / "conversations" / "m.json").is_file():
            case.worse("wrong", "the conversation was not saved in the data folder")
        if must and not (run.clean_error and must.encode() in run.err):
            case.worse("wrong", f"not one clear line: {run.err[-160:]!r}")
        case.note = run.err.decode().strip()[:150]
    return cases


# ---------------------------------------------------------------- report

CATEGORIES: dict[str, Callable[[Path, bool, float], list[Case]]] = {
    "files": run_files,
    "queries": run_queries,
    "damage": run_damage,
    "races": run_races,
    "kill": run_kills,
    "disk": run_disk,
    "readonly": run_readonly,
}


def table(cases: list[Case]) -> str:
    rows = ["| category | tried | clean error | repaired | traceback | wrong | hang | dead end |"]
    rows.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    order: list[str] = []
    for c in cases:
        if c.category not in order:
            order.append(c.category)
    total: Counter[str] = Counter()
    for category in order:
        counts = Counter(c.outcome for c in cases if c.category == category)
        total.update(counts)
        tried = sum(counts.values())
        rows.append(
            f"| {category} | {tried} | " + " | ".join(str(counts[o]) for o in OUTCOMES) + " |"
        )
    rows.append(
        f"| **all** | {sum(total.values())} | " + " | ".join(str(total[o]) for o in OUTCOMES) + " |"
    )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(CATEGORIES))
    parser.add_argument("--real-model", action="store_true")
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="granska-faults-"))
    cases: list[Case] = []
    started = time.perf_counter()
    try:
        for name in args.only.split(","):
            t0 = time.perf_counter()
            found = CATEGORIES[name](work, args.real_model, args.timeout)
            cases.extend(found)
            bad = [c for c in found if c.outcome not in ("clean", "repaired")]
            print(
                f"{name}: {len(found)} cases, {len(bad)} bad, {time.perf_counter() - t0:.0f} s",
                file=sys.stderr,
            )
            for c in bad:
                print(f"  {c.outcome}: {c.name}: {_show(c.note)}", file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(table(cases))
    notes = [c for c in cases if c.note and c.outcome in ("clean", "repaired")]
    if notes:
        print()
        for c in notes:
            print(f"- {c.category} / {c.name}: {_show(c.note)}")
    print(
        f"\n{len(cases)} cases in {time.perf_counter() - started:.0f} s "
        f"({'bundled model' if args.real_model else 'hashing embedder'}); "
        f"sha256 of this script {hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]}"
    )
    sys.exit(1 if any(c.outcome not in ("clean", "repaired") for c in cases) else 0)


if __name__ == "__main__":
    main()
