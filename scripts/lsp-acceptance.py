#!/usr/bin/env python3
"""Black-box acceptance test of the kith language server (`kith lsp`).

A scripted LSP client, Python 3 standard library only. It writes a fresh
vault into a temporary folder (names with umlauts, emoji and CJK, aliases,
a CRLF file, a lone-CR file, BOM files, a journal note, a kith.toml) and a
Markdown note outside it, spawns `kith lsp` on stdio and checks, run by run:

  - diagnostics for files never opened, with ranges exact to the unit;
  - completion, hover, definition, references and rename on names and aliases;
  - quick fixes: each WorkspaceEdit is applied here (TextEdits in the
    negotiated unit, CreateFile operations), sent back as incremental
    changes or written to disk, and the finding must go;
  - files created, fixed and deleted on disk show within two seconds, both
    when the client watches (dynamic registration: this script sends
    workspace/didChangeWatchedFiles itself) and when it does not (the
    server's own watcher must notice);
  - kith.toml changes recompute, configuration errors are diagnostics on it;
  - out-of-range positions clamp, unknown documents answer null, a Markdown
    file outside the vault is analysed on its own;
  - 300+ rapid incremental edits keep their order, and the server answers
    while they stream in;
  - shutdown answers null and exit ends the process with code 0.

Runs (all by default; name some on the command line to pick):
  utf16-client   offers only UTF-16, watches files for the server
  utf8-server    offers utf-8 first, no dynamic registration (server watches)
  utf16-server   offers only UTF-16, no dynamic registration
  utf8-client    offers utf-8 first, watches files for the server
  linked-client  the vault opened through a symbolic link; UTF-16, client watches
  linked-server  the vault opened through a symbolic link; utf-8, server watches
  config-start   a broken kith.toml from the start; no positionEncodings at all

Usage:  python3 scripts/lsp-acceptance.py [RUN...] [-v]
        KITH_BIN=path/to/kith python3 scripts/lsp-acceptance.py

Prints one line per check and `lsp-acceptance: N passed, M failed`; exits 1
when a check failed.
"""

import bisect
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

REPO = pathlib.Path(__file__).resolve().parent.parent
KITH_BIN = os.environ.get("KITH_BIN", str(REPO / "target" / "debug" / "kith"))
TODAY = "2026-12-01"
VERBOSE = "-v" in sys.argv
WAIT = 10.0  # seconds to wait for anything that is not timed
DISK_LIMIT = 2.0  # "within a second or two"
REQUEST_LIMIT = 2.0  # a request answered while edits stream in

# --------------------------------------------------------------------------
# Results


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = []
        self.run = ""

    def check(self, name, ok, detail=""):
        label = f"[{self.run}] {name}"
        if ok:
            self.passed += 1
            print(f"PASS {label}" + (f" ({detail})" if detail and VERBOSE else ""), flush=True)
        else:
            self.failed.append(label)
            print(f"FAIL {label}" + (f": {detail}" if detail else ""), flush=True)
        return ok

    def equal(self, name, got, want):
        return self.check(name, got == want, f"got {short(got)}, want {short(want)}")


R = Results()


def short(value, limit=600):
    if isinstance(value, (set, frozenset)):
        value = sorted(value)
    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


# --------------------------------------------------------------------------
# Positions: Python strings index code points; LSP counts UTF-16 code units
# or UTF-8 bytes. Lines end at LF, CRLF or a lone CR.


def unit_width(ch, enc):
    if enc == "utf-8":
        return len(ch.encode("utf-8"))
    return 2 if ord(ch) > 0xFFFF else 1


def line_starts(text):
    starts = [0]
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            starts.append(i + 1)
        elif c == "\r":
            if i + 1 < n and text[i + 1] == "\n":
                i += 1
            starts.append(i + 1)
        i += 1
    return starts


def line_end(text, starts, line):
    end = starts[line + 1] if line + 1 < len(starts) else len(text)
    while end > starts[line] and text[end - 1] in "\r\n":
        end -= 1
    return end


def position(text, index, enc):
    starts = line_starts(text)
    line = bisect.bisect_right(starts, index) - 1
    col = sum(unit_width(c, enc) for c in text[starts[line]:index])
    return {"line": line, "character": col}


def index_of(text, pos, enc):
    """The code-point index of an LSP position, clamped like the server does."""
    starts = line_starts(text)
    line, col = pos["line"], pos["character"]
    if line >= len(starts):
        return len(text)
    start, end = starts[line], line_end(text, starts, line)
    units = 0
    for i in range(start, end):
        w = unit_width(text[i], enc)
        if units + w > col:
            return i
        units += w
    return end


def find(text, needle, nth=0):
    at = -1
    for _ in range(nth + 1):
        at = text.find(needle, at + 1)
        if at < 0:
            raise ValueError(f"{needle!r} not in text")
    return at


def pos_of(text, needle, enc, shift=0, nth=0):
    return position(text, find(text, needle, nth) + shift, enc)


def range_of(text, needle, enc, nth=0):
    at = find(text, needle, nth)
    return {"start": position(text, at, enc), "end": position(text, at + len(needle), enc)}


def sliced(text, rng, enc):
    """The text a range covers."""
    return text[index_of(text, rng["start"], enc):index_of(text, rng["end"], enc)]


def apply_edits(text, edits, enc):
    """Applies TextEdits (all relative to `text`), inserts at one place in order."""
    spans = []
    for n, e in enumerate(edits):
        spans.append((index_of(text, e["range"]["start"], enc), index_of(text, e["range"]["end"], enc), n, e["newText"]))
    spans.sort(key=lambda s: (s[0], s[2]))
    out, at = [], 0
    for start, end, _, new in spans:
        out.append(text[at:start])
        out.append(new)
        at = max(at, end)
    out.append(text[at:])
    return "".join(out)


def as_changes(text, edits, enc):
    """TextEdits as didChange content changes, last first so every range still holds."""
    order = sorted(range(len(edits)), key=lambda n: (index_of(text, edits[n]["range"]["start"], enc), n), reverse=True)
    return [{"range": edits[n]["range"], "text": edits[n]["newText"]} for n in order]


def apply_changes(text, changes, enc):
    for c in changes:
        if "range" in c:
            a, b = index_of(text, c["range"]["start"], enc), index_of(text, c["range"]["end"], enc)
            a, b = min(a, b), max(a, b)
            text = text[:a] + c["text"] + text[b:]
        else:
            text = c["text"]
    return text


def file_uri(path):
    return pathlib.Path(path).as_uri()


def norm(uri):
    """A URI as a key: percent-decoded, so spellings of one file compare equal."""
    return urllib.parse.unquote(uri)


def codes(diagnostics):
    return sorted(str(d.get("code")) for d in diagnostics)


# --------------------------------------------------------------------------
# The client


class Client:
    def __init__(self, root, caps, name):
        self.root = pathlib.Path(root)
        self.name = name
        self.enc = None
        self.lock = threading.Condition()
        self.responses = {}
        self.diagnostics = {}  # norm(uri) -> (uri as sent, version, list, time)
        self.history = {}  # norm(uri) -> [(time, version, count)]
        self.notifications = []
        self.server_requests = []
        self.stderr = []
        self.next_id = 1
        self.open_docs = {}  # rel or uri -> [uri, version, text]
        self.proc = subprocess.Popen(
            [KITH_BIN, "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=str(self.root),
        )
        self.write_lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        self.caps = caps

    # -- transport

    def _send(self, message):
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        with self.write_lock:
            try:
                self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
                self.proc.stdin.flush()
            except (BrokenPipeError, OSError):
                pass

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    with self.lock:
                        self.lock.notify_all()
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            body = out.read(length)
            message = json.loads(body.decode("utf-8"))
            now = time.monotonic()
            if "method" in message and "id" in message:
                with self.lock:
                    self.server_requests.append(message)
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            elif "method" in message:
                with self.lock:
                    if message["method"] == "textDocument/publishDiagnostics":
                        p = message["params"]
                        key = norm(p["uri"])
                        self.diagnostics[key] = (p["uri"], p.get("version"), p["diagnostics"], now)
                        self.history.setdefault(key, []).append((now, p.get("version"), len(p["diagnostics"])))
                    self.notifications.append(message)
            else:
                with self.lock:
                    self.responses[message.get("id")] = (message, now)
            with self.lock:
                self.lock.notify_all()

    def _read_stderr(self):
        for line in self.proc.stderr:
            self.stderr.append(line.decode("utf-8", "replace"))

    def notify(self, method, params):
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def call(self, method, params, timeout=WAIT):
        """Sends a request; returns (response message or None, seconds taken)."""
        with self.lock:
            rid = self.next_id
            self.next_id += 1
        start = time.monotonic()
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        deadline = start + timeout
        with self.lock:
            while rid not in self.responses:
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    return None, time.monotonic() - start
                self.lock.wait(left)
            message, at = self.responses.pop(rid)
        return message, at - start

    def request(self, method, params, timeout=WAIT):
        """The result of a request; None when it failed (recorded as a failure)."""
        message, _ = self.call(method, params, timeout)
        if message is None:
            R.check(f"{method} answers", False, "no response")
            return None
        if "error" in message:
            R.check(f"{method} answers without error", False, short(message["error"]))
            return None
        return message.get("result")

    # -- paths and documents

    def path(self, rel):
        return self.root / rel

    def uri(self, rel):
        return file_uri(self.path(rel))

    def disk_text(self, rel):
        """A file as an editor shows it: decoded, BOM dropped."""
        text = self.path(rel).read_bytes().decode("utf-8")
        return text[1:] if text.startswith("\ufeff") else text

    def text(self, rel):
        doc = self.open_docs.get(rel)
        return doc[2] if doc else self.disk_text(rel)

    def open(self, rel, text=None, uri=None):
        uri = uri or self.uri(rel)
        text = self.disk_text(rel) if text is None else text
        self.open_docs[rel] = [uri, 1, text]
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}})
        return text

    def change(self, rel, changes):
        doc = self.open_docs[rel]
        doc[1] += 1
        doc[2] = apply_changes(doc[2], changes, self.enc)
        self.notify("textDocument/didChange", {"textDocument": {"uri": doc[0], "version": doc[1]}, "contentChanges": changes})
        return doc[1]

    def save(self, rel):
        uri, _, text = self.open_docs[rel]
        self.write(rel, text[1:] if text.startswith("\ufeff") else text, bom=rel in BOMS or text.startswith("\ufeff"))
        self.notify("textDocument/didSave", {"textDocument": {"uri": uri}})

    def close(self, rel):
        uri = self.open_docs.pop(rel)[0]
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def write(self, rel, text, bom=False):
        """Writes a file as an editor or another program would, and reports it
        when this client watches files for the server."""
        path = self.path(rel)
        existed = path.exists()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8"))
        self.watched(rel, 2 if existed else 1)

    def delete(self, rel):
        self.path(rel).unlink()
        self.watched(rel, 3)

    def watched(self, rel, kind):
        if self.caps["workspace"]["didChangeWatchedFiles"]["dynamicRegistration"]:
            self.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": self.uri(rel), "type": kind}]})

    # -- diagnostics

    def diagnostics_of(self, rel_or_uri):
        key = norm(rel_or_uri if rel_or_uri.startswith(("file:", "untitled:")) else self.uri(rel_or_uri))
        with self.lock:
            found = self.diagnostics.get(key)
        return found

    def wait_diagnostics(self, rel_or_uri, want, timeout=WAIT, version=None):
        """Waits until the latest diagnostics of a file satisfy `want` (and
        carry `version`, when given). Returns (ok, diagnostics, seconds)."""
        uri = rel_or_uri if rel_or_uri.startswith(("file:", "untitled:")) else self.uri(rel_or_uri)
        key = norm(uri)
        start = time.monotonic()
        deadline = start + timeout
        with self.lock:
            while True:
                found = self.diagnostics.get(key)
                if found is not None and want(found[2]) and (version is None or found[1] == version):
                    return True, found[2], max(0.0, found[3] - start)
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    return False, (found[2] if found else None), time.monotonic() - start
                self.lock.wait(left)

    def wait_for(self, predicate, timeout=WAIT):
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                if predicate():
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.lock.wait(left)

    def snapshot(self):
        with self.lock:
            return {k: v[2] for k, v in self.diagnostics.items() if v[2]}

    def end(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


# --------------------------------------------------------------------------
# The vault

JANA = """---
type: contact
name: Jana Müller
aliases: [Jana, J. Müller]
org: Acme GmbH
cadence: 2m
---
# Jana Müller

## Log
- 2026-11-20 #got Introduced me to [[Max Mustermann]] 😀
- 2026-09-01 #met Coffee at Acme
"""

MAX = """---
type: contact
name: Max Mustermann
cadance: 1m
---
- 2026-05-01 #met Lunch 🍜
- [ ] 2026-11-01 Send the article über Design
- 2026-06-01 #ask Intro to Beta 日本
"""

WANG = """---
type: contact
name: 王芳
aliases: [Fang, 芳姐]
---
# 王芳

- 2026-11-10 #news 升职了 🎉 Promoted
- 2026-11-28 #met 喝茶
"""

ZOE = """---
type: contact
name: "Zoë 🌻 Quinn"
aliases: [Sunny 🌻]
birthday: --12-05
---
- 2026-11-29 #gave 🌻 flowers
"""

UNAL = "---\r\ntype: contact\r\nname: Ünal Çelik\r\n---\r\n# Ünal Çelik\r\n\r\n## Log\r\n- 2026-11-15 #got Lent me his 📷 camera\r\n"

SOREN = "---\ntype: contact\nname: Søren Ødegård\n---\n- 2026-11-01 #thnaks for the 🎁 gift\n"  # written with a BOM

BOM_PLAIN = "- [[Ghost 👻]] here\n- 2026-11-30 #met [[Søren Ødegård]] ☕\n"  # written with a BOM

OLD_MAC = "- a\r- 😀 [[Ghost]]\r"

EMOJI = "- 2026-11-20 #met Müller 😀 日本 [[Nobody]] and [[Jana Müller]]\n"

JOURNAL = """- #met [[Jana]] at the design meetup ☕
- #coffee [[J. Müller]] again
- #thnaks [[王芳]] for the tea
- #met [[Nobody Known]] somewhere
- #msg [[Sunny 🌻]] 🌻
- #call [[Fang]] 电话
"""

JOURNAL_20 = "- #got [[Søren Ødegård]] lent me a 📚 book\n"

CONFIG = '[kinds]\ncoffee = "met"\n\n[rules]\nvague-ask = "hint"\n'

LOOSE = """---
type: contact
name: Loose Lou
---
- 2026-11-20 #got 🌻 helped me move
- 2026-11-21 #thnaks [[Jana]] 日本
"""

FILES = {
    "people/jana-müller.md": JANA,
    "people/max.md": MAX,
    "people/王芳.md": WANG,
    "people/zoë.md": ZOE,
    "people/ünal.md": UNAL,
    "people/søren.md": SOREN,
    "notes/bom-plain.md": BOM_PLAIN,
    "notes/old-mac.md": OLD_MAC,
    "notes/emoji.md": EMOJI,
    "journal/2026-11-25.md": JOURNAL,
    "journal/2026-11-20.md": JOURNAL_20,
    "kith.toml": CONFIG,
    ".obsidian/app.json": "{}",
}
BOMS = {"people/søren.md", "notes/bom-plain.md"}

# What each file reports at the start: rule -> the text its range covers.
EXPECTED = {
    "people/jana-müller.md": {"missing-thanks": "2026-11-20 #got Introduced me to [[Max Mustermann]] 😀"},
    "people/max.md": {
        "follow-up-due": "[ ] 2026-11-01 Send the article über Design",
        "key-typo": "cadance",
        "overdue-touch": "name: Max Mustermann",  # `name:` when there is no `cadence:`
        "vague-ask": "2026-06-01 #ask Intro to Beta 日本",
    },
    "people/王芳.md": {"congratulate": "2026-11-10 #news 升职了 🎉 Promoted"},
    "people/zoë.md": {"birthday-soon": "birthday: --12-05"},
    "people/ünal.md": {"missing-thanks": "2026-11-15 #got Lent me his 📷 camera"},
    "people/søren.md": {"unknown-kind": "#thnaks"},
    "notes/bom-plain.md": {"broken-link": "[[Ghost 👻]]"},
    "notes/old-mac.md": {"broken-link": "[[Ghost]]"},
    "notes/emoji.md": {"broken-link": "[[Nobody]]"},
    "journal/2026-11-25.md": {"broken-link": "[[Nobody Known]]", "unknown-kind": "#thnaks"},
    "journal/2026-11-20.md": {"missing-thanks": "#got [[Søren Ødegård]] lent me a 📚 book"},
}


def make_vault(base):
    root = pathlib.Path(base) / "vault"
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(("\ufeff" if rel in BOMS else "").encode("utf-8") + text.encode("utf-8"))
    outside = pathlib.Path(base) / "outside"
    outside.mkdir()
    (outside / "loose 🌻.md").write_text(LOOSE, encoding="utf-8")
    return root.resolve(), (outside / "loose 🌻.md").resolve()


def capabilities(encodings, client_watch, progress=True):
    caps = {
        "general": {"positionEncodings": encodings} if encodings is not None else {},
        "window": {"workDoneProgress": progress},
        "workspace": {
            "workspaceEdit": {"documentChanges": True, "resourceOperations": ["create", "rename", "delete"]},
            "didChangeWatchedFiles": {"dynamicRegistration": client_watch},
            "codeLens": {"refreshSupport": True},
        },
        "textDocument": {
            "synchronization": {"dynamicRegistration": False},
            "completion": {"completionItem": {"labelDetailsSupport": True, "snippetSupport": False}},
            "publishDiagnostics": {"versionSupport": True, "relatedInformation": True},
        },
    }
    return caps


def start(root, caps, name):
    client = Client(root, caps, name)
    uri = file_uri(root)
    init = client.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": uri,
            "workspaceFolders": [{"uri": uri, "name": "vault"}],
            "capabilities": caps,
            "initializationOptions": {"today": TODAY},
        },
    )
    client.init = init or {}
    client.enc = (init or {}).get("capabilities", {}).get("positionEncoding", "utf-16")
    client.notify("initialized", {})
    return client


def at(client, rel, position):
    return {"textDocument": {"uri": client.open_docs[rel][0] if rel in client.open_docs else client.uri(rel)}, "position": position}


# --------------------------------------------------------------------------
# The checks


def check_initialize(c, want_enc, client_watch):
    caps = c.init.get("capabilities", {})
    R.equal("initialize: positionEncoding", caps.get("positionEncoding", "utf-16"), want_enc)
    needed = ["completionProvider", "hoverProvider", "definitionProvider", "referencesProvider", "renameProvider", "codeActionProvider"]
    R.check("initialize: completion, hover, definition, references, rename, code actions", all(caps.get(k) for k in needed), short(caps))
    sync = caps.get("textDocumentSync")
    R.check("initialize: incremental sync", isinstance(sync, dict) and sync.get("change") == 2, short(sync))
    if client_watch:
        ok = c.wait_for(lambda: any(r["method"] == "client/registerCapability" for r in c.server_requests))
        regs = [r for r in c.server_requests if r["method"] == "client/registerCapability"]
        watched = ok and any(x["method"] == "workspace/didChangeWatchedFiles" for r in regs for x in r["params"]["registrations"])
        R.check("client watches: server registers workspace/didChangeWatchedFiles", watched, short(regs))
    else:
        time.sleep(0.2)
        R.check("server watches: no registration asked of the client", not any(r["method"] == "client/registerCapability" for r in c.server_requests))


def check_diagnostic(c, rel, diags, rule, want_text, text=None):
    text = c.text(rel) if text is None else text
    found = [d for d in (diags or []) if d.get("code") == rule]
    if not found:
        return R.check(f"{rel}: {rule} reported", False, f"diagnostics: {short(diags)}")
    got = sliced(text, found[0]["range"], c.enc)
    return R.check(f"{rel}: {rule} at {want_text!r}", got == want_text, f"range {short(found[0]['range'])} covers {got!r}")


def check_unopened(c):
    for rel, rules in EXPECTED.items():
        ok, diags, _ = c.wait_diagnostics(rel, lambda d, rules=rules: codes(d) == sorted(rules))
        R.check(f"unopened {rel}: {', '.join(sorted(rules))}", ok, f"got {short(codes(diags or []))}")
        for rule, want in rules.items():
            check_diagnostic(c, rel, diags, rule, want)
    # Exact positions spelled out, independent of the slicing helper.
    enc = c.enc
    got = (c.diagnostics_of("notes/bom-plain.md") or (0, 0, []))[2]
    want = {"start": {"line": 0, "character": 2}, "end": {"line": 0, "character": 2 + len("[[Ghost ]]") + (2 if enc == "utf-16" else 4)}}
    R.equal("unopened BOM file: the BOM takes no column", got[0]["range"] if got else None, want)
    got = (c.diagnostics_of("notes/old-mac.md") or (0, 0, []))[2]
    col = 2 + (2 if enc == "utf-16" else 4) + 1
    R.equal("lone CR ends a line; emoji width", got[0]["range"]["start"] if got else None, {"line": 1, "character": col})
    got = (c.diagnostics_of("people/ünal.md") or (0, 0, []))[2]
    want = range_of(UNAL, "2026-11-15 #got Lent me his 📷 camera", enc)
    R.equal("CRLF: a line end counts once, the range stops before CR", got[0]["range"] if got else None, want)
    mt = [d for d in (c.diagnostics_of("journal/2026-11-20.md") or (0, 0, []))[2] if d.get("code") == "missing-thanks"]
    rel = (mt[0].get("relatedInformation") or [{}])[0] if mt else {}
    where = rel.get("location", {})
    R.check(
        "a finding about a contact elsewhere points at the contact's name",
        norm(where.get("uri", "")) == norm(c.uri("people/søren.md"))
        and sliced(SOREN, where.get("range", {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}), enc) == "Søren Ødegård",
        short(rel),
    )
    R.check("kith.toml: nothing reported", not (c.diagnostics_of("kith.toml") or (0, 0, []))[2])
    R.check("hidden folders are not read", c.diagnostics_of(".obsidian/app.json") is None)


def items_of(result):
    if result is None:
        return []
    return result["items"] if isinstance(result, dict) else result


def check_completion(c):
    enc = c.enc
    cases = [
        ("notes/c1.md", "- 😀 Müller #met [[Ja", "Ja", ["Jana Müller", "Jana"], "Jana Müller]]"),
        ("notes/c2.md", "- 日本 [[王", "王", ["王芳"], "王芳]]"),
        ("notes/c3.md", "- 🎉 [[芳", "芳", ["芳姐"], "芳姐]]"),
        ("notes/c4.md", "- [[sun]] 🌻", "sun", ["Sunny 🌻"], "Sunny 🌻"),
        ("notes/c5.md", "- 🍜 [[zoë", "zoë", ["Zoë 🌻 Quinn"], "Zoë 🌻 Quinn]]"),
    ]
    for rel, text, typed, labels, new_text in cases:
        c.open(rel, text)
        cursor = find(text, typed) + len(typed)
        result = c.request("textDocument/completion", at(c, rel, position(text, cursor, enc)))
        items = items_of(result)
        got = [i["label"] for i in items]
        R.check(f"completion [[{typed} offers {labels}", all(l in got for l in labels), short(got))
        item = next((i for i in items if i["label"] == labels[0]), None)
        if item and "textEdit" in item:
            edit = item["textEdit"]
            rng = edit.get("range") or edit.get("replace")
            after = apply_edits(text, [{"range": rng, "newText": edit["newText"]}], enc)
            want = text[: find(text, typed)] + new_text + text[cursor:]
            R.equal(f"completion [[{typed}: the edit makes the link", after, want)
        else:
            R.check(f"completion [[{typed}: has a textEdit", False, short(item))
        c.close(rel)
    text = "- 2026-11-30 #"
    c.open("notes/c6.md", text)
    got = [i["label"] for i in items_of(c.request("textDocument/completion", at(c, "notes/c6.md", position(text, len(text), enc))))]
    R.check("completion of kinds after a date, [kinds] aliases included", "#thanks" in got and "#coffee" in got, short(got))
    c.close("notes/c6.md")


def hover_text(result):
    if not result:
        return ""
    contents = result.get("contents")
    if isinstance(contents, dict):
        return contents.get("value", "")
    if isinstance(contents, list):
        return "\n".join(x if isinstance(x, str) else x.get("value", "") for x in contents)
    return str(contents)


def check_hover_definition_references(c):
    enc = c.enc
    journal = c.text("journal/2026-11-25.md")
    for link, card in [("[[Jana]]", "Jana Müller"), ("[[Sunny 🌻]]", "Zoë 🌻 Quinn"), ("[[Fang]]", "王芳"), ("[[J. Müller]]", "Jana Müller")]:
        result = c.request("textDocument/hover", at(c, "journal/2026-11-25.md", pos_of(journal, link, enc, shift=3)))
        R.check(f"hover on {link} (alias) shows {card}'s card", hover_text(result).startswith(f"### {card}"), short(hover_text(result)[:80]))
        got = sliced(journal, result["range"], enc) if result and result.get("range") else None
        R.equal(f"hover on {link}: range", got, link)
    emoji = c.text("notes/emoji.md")
    result = c.request("textDocument/hover", at(c, "notes/emoji.md", pos_of(emoji, "[[Jana Müller]]", enc, shift=9)))
    R.check("hover after emoji and CJK: card and exact range",
            hover_text(result).startswith("### Jana Müller") and result and sliced(emoji, result["range"], enc) == "[[Jana Müller]]", short(result))
    result = c.request("textDocument/hover", at(c, "people/jana-müller.md", pos_of(JANA, "#got", enc, shift=2)))
    R.check("hover on a kind tag explains it", hover_text(result).startswith("**#got**"), short(hover_text(result)[:80]))
    result = c.request("textDocument/hover", at(c, "people/jana-müller.md", pos_of(JANA, "Müller\naliases", enc, shift=2)))
    R.check("hover on a contact's own name (after an umlaut) shows the card", hover_text(result).startswith("### Jana Müller"), short(result))

    for rel, text, link, target, name in [
        ("journal/2026-11-25.md", journal, "[[J. Müller]]", "people/jana-müller.md", "Jana Müller"),
        ("journal/2026-11-25.md", journal, "[[Fang]]", "people/王芳.md", "王芳"),
        ("journal/2026-11-25.md", journal, "[[Sunny 🌻]]", "people/zoë.md", "Zoë 🌻 Quinn"),
        ("notes/emoji.md", emoji, "[[Jana Müller]]", "people/jana-müller.md", "Jana Müller"),
    ]:
        result = c.request("textDocument/definition", at(c, rel, pos_of(text, link, enc, shift=len(link) - 3)))
        loc = result[0] if isinstance(result, list) and result else result
        ok = bool(loc) and norm(loc.get("uri", loc.get("targetUri", ""))) == norm(c.uri(target))
        rng = loc.get("range", loc.get("targetSelectionRange")) if loc else None
        covered = sliced(c.text(target), rng, enc) if ok and rng else None
        R.check(f"definition of {link} → {target} at the name", ok and covered is not None and covered.strip('"') == name, f"{short(loc)} covers {covered!r}")

    def refs(rel, text, needle, shift=1):
        params = at(c, rel, pos_of(text, needle, enc, shift=shift))
        params["context"] = {"includeDeclaration": True}
        result = c.request("textDocument/references", params) or []
        out = set()
        for loc in result:
            file_rel = urllib.parse.unquote(loc["uri"])[len(norm(file_uri(c.root))) + 1:]
            out.add((file_rel, sliced(c.text(file_rel), loc["range"], enc)))
        return out

    got = refs("people/jana-müller.md", JANA, "Jana Müller\naliases")
    want = {
        ("people/jana-müller.md", "Jana Müller"),
        ("journal/2026-11-25.md", "Jana"),
        ("journal/2026-11-25.md", "J. Müller"),
        ("notes/emoji.md", "Jana Müller"),
    }
    R.equal("references of Jana from her name: name and alias links", got, want)
    got = refs("journal/2026-11-25.md", journal, "[[Fang]]", shift=3)
    want = {("people/王芳.md", "王芳"), ("journal/2026-11-25.md", "王芳"), ("journal/2026-11-25.md", "Fang")}
    R.equal("references of 王芳 from an alias link", got, want)


def check_rename(c):
    """Renames 王芳 from a link by file name, applies the edit to the disk,
    and expects every link to still resolve."""
    enc = c.enc
    journal = c.text("journal/2026-11-25.md")
    before = codes((c.diagnostics_of("journal/2026-11-25.md") or (0, 0, []))[2])
    cursor = pos_of(journal, "[[王芳]]", enc, shift=3)
    prepared = c.request("textDocument/prepareRename", at(c, "journal/2026-11-25.md", cursor))
    R.check("prepareRename on [[王芳]]: range and placeholder",
            bool(prepared) and prepared.get("placeholder") == "王芳" and sliced(journal, prepared["range"], enc) == "王芳", short(prepared))
    params = at(c, "journal/2026-11-25.md", cursor)
    params["newName"] = "王小芳 🌸"
    edit = c.request("textDocument/rename", params)
    changed = apply_workspace_edit(c, edit or {}, write_open=False)
    wang = changed.get("people/王芳.md", "")
    j = changed.get("journal/2026-11-25.md", "")
    R.check("rename: name and title change", "name: 王小芳 🌸\n" in wang and "# 王小芳 🌸\n" in wang, short(wang))
    R.check("rename: links by name change, links by alias stay", "[[王小芳 🌸]] for the tea" in j and "[[Fang]] 电话" in j, short(j))
    for rel, text in changed.items():
        c.write(rel, text)
    result = None
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        result = c.request("workspace/symbol", {"query": "王小芳"})
        if result:
            break
        time.sleep(0.1)
    R.check("rename written to disk: the contact's note is read again", bool(result), short(result))
    time.sleep(0.5)
    ok, diags, _ = c.wait_diagnostics("journal/2026-11-25.md", lambda d: codes(d) == before)
    R.check("rename written to disk: no link broke", ok, short(codes(diags or [])))
    journal = c.text("journal/2026-11-25.md")
    result = c.request("textDocument/hover", at(c, "journal/2026-11-25.md", pos_of(journal, "[[王小芳 🌸]]", enc, shift=3)))
    R.check("rename written to disk: the new link resolves", hover_text(result).startswith("### 王小芳 🌸"), short(hover_text(result)[:60]))


def rel_of(c, uri):
    prefix = norm(file_uri(c.root)) + "/"
    u = norm(uri)
    return u[len(prefix):] if u.startswith(prefix) else None


def apply_workspace_edit(c, edit, write_open=True):
    """Applies a WorkspaceEdit to the texts this client knows. Open documents
    get incremental didChange notifications (when write_open); the new texts of
    files not open are returned by vault-relative path, to be written."""
    out = {}
    ops = []
    if edit.get("documentChanges"):
        for op in edit["documentChanges"]:
            if op.get("kind") == "create":
                ops.append(("create", op["uri"], op.get("options") or {}))
            elif "kind" in op:
                ops.append((op["kind"], op, None))
            else:
                ops.append(("edit", op["textDocument"]["uri"], [e for e in op["edits"]]))
    for uri, edits in (edit.get("changes") or {}).items():
        ops.append(("edit", uri, edits))
    for kind, uri, payload in ops:
        rel = rel_of(c, uri)
        if rel is None:
            R.check("workspace edit stays in the vault", False, uri)
            continue
        if kind == "create":
            if c.path(rel).exists() and not (payload.get("overwrite") or payload.get("ignoreIfExists")):
                R.check("CreateFile of an existing file", False, rel)
            if not c.path(rel).exists():
                out.setdefault(rel, "")
        elif kind == "edit":
            if rel in c.open_docs:
                if write_open:
                    c.change(rel, as_changes(c.open_docs[rel][2], payload, c.enc))
                else:
                    out[rel] = apply_edits(c.open_docs[rel][2], payload, c.enc)
            else:
                base = out.get(rel)
                if base is None:
                    base = c.disk_text(rel) if c.path(rel).exists() else ""
                out[rel] = apply_edits(base, payload, c.enc)
        else:
            R.check("workspace edit: only create and text edits expected", False, kind)
    return out


def code_action(c, rel, rule, title):
    ok, diags, _ = c.wait_diagnostics(rel, lambda d: any(x.get("code") == rule for x in d))
    if not ok:
        R.check(f"quick fix {rule}: the finding is there first", False, short(diags))
        return None
    diag = next(x for x in diags if x.get("code") == rule)
    params = {"textDocument": {"uri": c.open_docs[rel][0] if rel in c.open_docs else c.uri(rel)}, "range": diag["range"], "context": {"diagnostics": [diag]}}
    actions = c.request("textDocument/codeAction", params) or []
    found = [a for a in actions if title in a.get("title", "")]
    if not found:
        R.check(f"quick fix {rule}: “{title}” offered", False, short([a.get("title") for a in actions]))
        return None
    return found[0]


def quick_fix(c, rel, rule, title, expect_in=None, open_first=True, other=None, bom=False):
    """Asks for the fix, applies it, and waits for the finding to go from `rel`."""
    if open_first and rel not in c.open_docs:
        c.open(rel)
    action = code_action(c, rel, rule, title)
    if action is None:
        return
    changed = apply_workspace_edit(c, action.get("edit") or {})
    for path, text in changed.items():
        c.write(path, text, bom=(path in BOMS and bom))
    version = c.open_docs[rel][1] if rel in c.open_docs else None
    ok, diags, took = c.wait_diagnostics(rel, lambda d: not any(x.get("code") == rule for x in d), version=version)
    R.check(f"quick fix {rule} “{title}” clears it in {rel}", ok, f"{took:.2f}s {short(codes(diags or []))}")
    if expect_in:
        target, snippet = expect_in
        text = c.text(target)
        R.check(f"quick fix {rule}: {target} now holds {snippet!r}", snippet in text, short(text))
    return changed


def check_quick_fixes(c):
    enc = c.enc
    quick_fix(c, "people/jana-müller.md", "missing-thanks", "#thanks", ("people/jana-müller.md", "## Log\n- 2026-12-01 #thanks\n- 2026-11-20 #got"))
    quick_fix(c, "people/ünal.md", "missing-thanks", "#thanks", ("people/ünal.md", "## Log\r\n- 2026-12-01 #thanks\r\n- 2026-11-15"))
    text = c.text("people/ünal.md")
    R.check("quick fix in a CRLF file keeps CRLF line ends", "\n" not in text.replace("\r\n", ""), short(text))
    quick_fix(c, "people/max.md", "key-typo", "Change to `cadence`", ("people/max.md", "\ncadence: 1m\n"))
    quick_fix(c, "people/max.md", "follow-up-due", "done", ("people/max.md", "- [x] 2026-11-01 Send the article über Design"))
    quick_fix(c, "people/max.md", "vague-ask", "how:", ("people/max.md", "#ask Intro to Beta 日本 how: "))
    quick_fix(c, "people/max.md", "overdue-touch", "#msg", ("people/max.md", "- 2026-12-01 #msg"))
    quick_fix(c, "people/王芳.md", "congratulate", "#congrats", ("people/王芳.md", "- 2026-12-01 #congrats"))
    quick_fix(c, "people/søren.md", "unknown-kind", "Change to `#thanks`", ("people/søren.md", "- 2026-11-01 #thanks for the 🎁 gift"))
    quick_fix(c, "journal/2026-11-25.md", "unknown-kind", "Change to `#thanks`", ("journal/2026-11-25.md", "- #thanks [[王"))
    # An ignore comment at the end of a line full of emoji and CJK.
    quick_fix(c, "notes/emoji.md", "broken-link", "Ignore broken-link", ("notes/emoji.md", "[[Jana Müller]] <!-- kith-ignore: broken-link -->\n"))
    # A fix placed in a journal that edits the contact's own (unopened, BOM) note.
    quick_fix(c, "journal/2026-11-20.md", "missing-thanks", "#thanks", ("people/søren.md", "- 2026-12-01 #thanks"), bom=True)
    raw = c.path("people/søren.md").read_bytes()
    R.check("the edit of an unopened BOM file applies where the editor sees it", raw.startswith(b"\xef\xbb\xbf---\ntype: contact"), short(raw[:40].decode("utf-8", "replace")))
    # Create a contact for a broken link: CreateFile + its text, then the link resolves.
    created = quick_fix(c, "journal/2026-11-25.md", "broken-link", "Create contact note", None)
    new = [p for p in (created or {}) if p.startswith("people/")]
    R.check("create contact: a new note in people/", bool(new) and "name: Nobody Known" in created[new[0]], short(created))
    if new:
        ok, _, _ = c.wait_diagnostics("journal/2026-11-25.md", lambda d: not d)
        R.check("create contact: the journal is clean", ok)
    # A file whose BOM the editor keeps: the BOM is a character of line 0.
    text = "\ufeff" + c.disk_text("notes/bom-plain.md")
    c.open("notes/bom-plain.md", text)
    ok, diags, _ = c.wait_diagnostics("notes/bom-plain.md", lambda d: bool(d), version=1)
    R.check("open with the BOM kept: the BOM counts as a character",
            ok and diags[0]["range"]["start"] == {"line": 0, "character": 3 if enc == "utf-16" else 5}, short(diags))
    quick_fix(c, "notes/bom-plain.md", "broken-link", "Ignore broken-link", ("notes/bom-plain.md", "[[Ghost 👻]] here <!-- kith-ignore: broken-link -->\n"))
    # The editor saves what it changed and closes it.
    for rel in list(c.open_docs):
        c.save(rel)
        c.close(rel)


def check_disk(c, client_watch):
    how = "client reports" if client_watch else "server watches"
    enc = c.enc
    text = "- 😀 [[Ghost 👻]] 日本\n"
    t0 = time.monotonic()
    c.write("notes/disk-new.md", text)
    ok, diags, _ = c.wait_diagnostics("notes/disk-new.md", lambda d: codes(d) == ["broken-link"], timeout=WAIT)
    took = time.monotonic() - t0
    R.check(f"disk ({how}): a created file is analysed within {DISK_LIMIT:.0f}s", ok and took <= DISK_LIMIT, f"{took:.2f}s")
    if ok:
        R.equal(f"disk ({how}): its range", sliced(text, diags[0]["range"], enc), "[[Ghost 👻]]")
    t0 = time.monotonic()
    c.write("notes/disk-new.md", "- 😀 [[Sunny 🌻]] 日本\n")
    ok, _, _ = c.wait_diagnostics("notes/disk-new.md", lambda d: not d)
    took = time.monotonic() - t0
    R.check(f"disk ({how}): a fixed file is cleared within {DISK_LIMIT:.0f}s", ok and took <= DISK_LIMIT, f"{took:.2f}s")
    # Deleting a contact breaks the links to it and clears its own findings.
    t0 = time.monotonic()
    c.delete("people/zoë.md")
    ok1, _, _ = c.wait_diagnostics("people/zoë.md", lambda d: not d)
    ok2, diags, _ = c.wait_diagnostics("notes/disk-new.md", lambda d: codes(d) == ["broken-link"])
    took = time.monotonic() - t0
    R.check(f"disk ({how}): a deleted contact is cleared and links to it break within {DISK_LIMIT:.0f}s", ok1 and ok2 and took <= DISK_LIMIT, f"{took:.2f}s {short(diags)}")
    # A file in a new folder.
    t0 = time.monotonic()
    c.write("archive/2025/alt 😀.md", "- [[Ghost]]\n")
    ok, _, _ = c.wait_diagnostics("archive/2025/alt 😀.md", lambda d: codes(d) == ["broken-link"])
    took = time.monotonic() - t0
    R.check(f"disk ({how}): a file in a new folder within {DISK_LIMIT:.0f}s", ok and took <= DISK_LIMIT, f"{took:.2f}s")
    # Deleting a file clears it.
    t0 = time.monotonic()
    c.delete("archive/2025/alt 😀.md")
    ok, _, _ = c.wait_diagnostics("archive/2025/alt 😀.md", lambda d: not d)
    took = time.monotonic() - t0
    R.check(f"disk ({how}): a deleted file is cleared within {DISK_LIMIT:.0f}s", ok and took <= DISK_LIMIT, f"{took:.2f}s")
    # The contact comes back: the link resolves again.
    t0 = time.monotonic()
    c.write("people/zoë.md", ZOE)
    ok, _, _ = c.wait_diagnostics("notes/disk-new.md", lambda d: not d)
    ok2, _, _ = c.wait_diagnostics("people/zoë.md", lambda d: codes(d) == ["birthday-soon"])
    took = time.monotonic() - t0
    R.check(f"disk ({how}): a contact written back resolves its links again within {DISK_LIMIT:.0f}s", ok and ok2 and took <= DISK_LIMIT, f"{took:.2f}s")
    # An open document wins over the disk.
    c.open("notes/disk-new.md")
    c.write("notes/disk-new.md", "- [[Ghost on disk]]\n")
    time.sleep(0.8)
    diags = (c.diagnostics_of("notes/disk-new.md") or (0, 0, []))[2]
    R.check(f"disk ({how}): an open document wins over the disk", not diags, short(diags))
    c.close("notes/disk-new.md")
    ok, _, _ = c.wait_diagnostics("notes/disk-new.md", lambda d: codes(d) == ["broken-link"])
    R.check(f"disk ({how}): closed, the disk is the truth again", ok)


def check_config(c):
    enc = c.enc
    # Recompute on a change of kith.toml on disk.
    c.write("kith.toml", CONFIG + 'birthday-soon = "off"\n')
    ok, _, took = c.wait_diagnostics("people/zoë.md", lambda d: not d)
    R.check("kith.toml on disk: a rule switched off goes", ok, f"{took:.2f}s")
    c.write("kith.toml", CONFIG)
    ok, _, took = c.wait_diagnostics("people/zoë.md", lambda d: codes(d) == ["birthday-soon"])
    R.check("kith.toml on disk: and comes back", ok, f"{took:.2f}s")
    # A broken kith.toml: reported on it at the exact place; defaults apply.
    broken = '# Jürgen’s vault 😀\n[kinds]\n"café ☕" = "mett"\n\n[rules]\nvague-ask = "hint"\n'
    c.write("kith.toml", broken)
    ok, diags, _ = c.wait_diagnostics("kith.toml", lambda d: bool(d))
    R.check("broken kith.toml: an error diagnostic on kith.toml", ok and diags[0].get("severity") == 1, short(diags))
    if ok:
        got = sliced(broken, diags[0]["range"], enc)
        # A [kinds] entry naming no kind is placed on its value, on the line after the emoji.
        start = diags[0]["range"]["start"]
        R.check("broken kith.toml: placed on the value, exact after emoji", got == '"mett"' and start["line"] == 2, f"covers {got!r}, {short(diags[0])}")
    # With the defaults, vague-ask is info (3) again instead of the configured hint (4).
    ok, diags, _ = c.wait_diagnostics("people/max.md", lambda d: any(x.get("code") == "vague-ask" and x.get("severity") == 3 for x in d))
    R.check("broken kith.toml: kith carries on with the defaults", ok, short(diags))
    c.write("kith.toml", CONFIG)
    ok, _, _ = c.wait_diagnostics("kith.toml", lambda d: not d)
    R.check("kith.toml fixed: its diagnostics are cleared", ok)
    # Edited in the editor, before saving.
    c.open("kith.toml")
    c.change("kith.toml", [{"text": CONFIG + 'missing-thanks = "off"\n'}])
    ok, _, took = c.wait_diagnostics("journal/2026-11-20.md", lambda d: not d)
    R.check("kith.toml edited in the editor (unsaved) recomputes", ok, f"{took:.2f}s")
    c.change("kith.toml", [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 99, "character": 0}}, "text": "thanks-within = 3\n"}])
    ok, diags, _ = c.wait_diagnostics("kith.toml", lambda d: bool(d))
    R.check("kith.toml edited in the editor: a bad value is reported", ok and sliced("thanks-within = 3\n", diags[0]["range"], enc) == "3", short(diags))
    ok, _, _ = c.wait_diagnostics("journal/2026-11-20.md", lambda d: codes(d) == ["missing-thanks"])
    R.check("kith.toml edited in the editor: defaults while it is broken", ok)
    c.change("kith.toml", [{"text": CONFIG}])
    ok, _, _ = c.wait_diagnostics("kith.toml", lambda d: not d)
    R.check("kith.toml edited back: cleared", ok)
    c.close("kith.toml")


def check_unknown_and_out_of_range(c):
    enc = c.enc
    nowhere = [
        "file:///nowhere/at/all.md",
        "untitled:Untitled-1",
        c.uri("notes/never-written.md"),
        c.uri(".obsidian/app.json"),
    ]
    origin = {"line": 0, "character": 0}
    rng = {"start": origin, "end": origin}
    for uri in nowhere:
        doc = {"uri": uri}
        calls = [
            ("textDocument/hover", {"textDocument": doc, "position": origin}),
            ("textDocument/definition", {"textDocument": doc, "position": origin}),
            ("textDocument/references", {"textDocument": doc, "position": origin, "context": {"includeDeclaration": True}}),
            ("textDocument/completion", {"textDocument": doc, "position": origin}),
            ("textDocument/documentSymbol", {"textDocument": doc}),
            ("textDocument/codeAction", {"textDocument": doc, "range": rng, "context": {"diagnostics": []}}),
            ("textDocument/prepareRename", {"textDocument": doc, "position": origin}),
            ("textDocument/rename", {"textDocument": doc, "position": origin, "newName": "X"}),
            ("textDocument/codeLens", {"textDocument": doc}),
        ]
        bad = []
        for method, params in calls:
            message, _ = c.call(method, params)
            if message is None or "error" in message or message.get("result") is not None:
                bad.append((method, message))
        R.check(f"unknown document {uri.split('/')[-1]}: every request answers null", not bad, short(bad))
    # Notifications about documents never opened are ignored.
    c.notify("textDocument/didChange", {"textDocument": {"uri": "file:///nowhere/x.md", "version": 9}, "contentChanges": [{"text": "x"}]})
    c.notify("textDocument/didClose", {"textDocument": {"uri": "file:///nowhere/x.md"}})
    # Out of range positions clamp.
    far = [{"line": 9999, "character": 9999}, {"line": 0, "character": 9999}, {"line": 2, "character": 2**31 - 1}]
    text = c.open("notes/emoji.md", EMOJI)
    bad = []
    for p in far:
        for method, extra in [
            ("textDocument/hover", {}),
            ("textDocument/completion", {}),
            ("textDocument/definition", {}),
            ("textDocument/references", {"context": {"includeDeclaration": True}}),
            ("textDocument/prepareRename", {}),
        ]:
            params = at(c, "notes/emoji.md", p)
            params.update(extra)
            message, _ = c.call(method, params)
            if message is None or "error" in message:
                bad.append((method, p, message))
        message, _ = c.call("textDocument/codeAction", {"textDocument": {"uri": c.uri("notes/emoji.md")}, "range": {"start": p, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": []}})
        if message is None or "error" in message:
            bad.append(("codeAction", p, message))
    R.check("out-of-range positions: answers, no errors", not bad, short(bad))
    if enc == "utf-16":
        inside = pos_of(text, "😀", enc, shift=0)
        inside["character"] += 1
        message, _ = c.call("textDocument/hover", at(c, "notes/emoji.md", inside))
        R.check("a position inside a surrogate pair: answers", message is not None and "error" not in message, short(message))
    else:
        inside = pos_of(text, "😀", enc)
        inside["character"] += 2
        message, _ = c.call("textDocument/hover", at(c, "notes/emoji.md", inside))
        R.check("a position inside a UTF-8 sequence: answers", message is not None and "error" not in message, short(message))
    # An edit far past the end appends.
    c.change("notes/emoji.md", [{"range": {"start": {"line": 999, "character": 999}, "end": {"line": 999, "character": 999}}, "text": "\n- [[Ghost 🦄]]"}])
    version = c.open_docs["notes/emoji.md"][1]
    ok, diags, _ = c.wait_diagnostics("notes/emoji.md", lambda d: len([x for x in d if x.get("code") == "broken-link"]) == 2, version=version)
    R.check("an edit past the end clamps to the end", ok and sliced(c.text("notes/emoji.md"), diags[-1]["range"], enc) == "[[Ghost 🦄]]", short(diags))
    # A column past the end of a line clamps to the end of that line.
    c.change("notes/emoji.md", [{"range": {"start": {"line": 0, "character": 5000}, "end": {"line": 0, "character": 5000}}, "text": " [[Ghost ✨]]"}])
    version = c.open_docs["notes/emoji.md"][1]
    ok, diags, _ = c.wait_diagnostics("notes/emoji.md", lambda d: len([x for x in d if x.get("code") == "broken-link"]) == 3, version=version)
    want = sorted(["[[Nobody]]", "[[Ghost ✨]]", "[[Ghost 🦄]]"])
    got = sorted(sliced(c.text("notes/emoji.md"), d["range"], enc) for d in (diags or []) if d.get("code") == "broken-link")
    R.equal("a column past the end of a line clamps to the line's end", got, want)
    R.check("server alive after out-of-range input", c.proc.poll() is None)
    c.close("notes/emoji.md")


def check_loose(c, loose):
    enc = c.enc
    uri = file_uri(loose)
    c.open("loose", LOOSE, uri=uri)
    ok, diags, _ = c.wait_diagnostics(uri, lambda d: codes(d) == ["broken-link", "missing-thanks", "unknown-kind"])
    R.check("a Markdown file outside the vault is analysed on its own", ok, short(codes(diags or [])))
    if ok:
        got = {d["code"]: sliced(LOOSE, d["range"], enc) for d in diags}
        R.equal("outside the vault: exact ranges", got, {"broken-link": "[[Jana]]", "missing-thanks": "2026-11-20 #got 🌻 helped me move", "unknown-kind": "#thnaks"})
        published = (c.diagnostics_of(uri) or ("",))[0]
        R.check("outside the vault: published on the client's own URI spelling", published == uri, f"{published} vs {uri}")
    result = c.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": pos_of(LOOSE, "#got", enc, shift=1)})
    R.check("outside the vault: hover works", hover_text(result).startswith("**#got**"), short(result))
    result = c.request("textDocument/definition", {"textDocument": {"uri": uri}, "position": pos_of(LOOSE, "[[Jana]]", enc, shift=3)})
    R.check("outside the vault: vault contacts are not its links", result is None, short(result))
    c.change("loose", [{"range": range_of(LOOSE, "#thnaks", enc), "text": "#thanks"}])
    ok, diags, _ = c.wait_diagnostics(uri, lambda d: codes(d) == ["broken-link"], version=2)
    R.check("outside the vault: an edit recomputes", ok, short(codes(diags or [])))
    c.close("loose")
    ok, _, _ = c.wait_diagnostics(uri, lambda d: not d)
    R.check("outside the vault: closing clears its diagnostics", ok)


def check_burst(c):
    enc = c.enc
    rel = "notes/burst 🚀.md"
    c.open(rel, "")
    lines = [f"- 2026-11-{20 + i} #met Müller 😀 日本 [[Ghost {i}]]\n" for i in range(8)]
    target = "".join(lines)
    typed = ""
    sent = 0
    timings = []
    mid_ok = None
    entry = re.compile(r"^- \d{4}-\d{2}-\d{2} #met(?=[ \t]|$)", re.M)
    for n, ch in enumerate(target):
        end = position(typed, len(typed), enc)
        c.change(rel, [{"range": {"start": end, "end": end}, "text": ch}])
        typed += ch
        sent += 1
        if n % 40 == 20:
            # A typo and its correction: inserted, then deleted by range.
            end = position(typed, len(typed), enc)
            c.change(rel, [{"range": {"start": end, "end": end}, "text": "🙈x"}])
            after = position(typed + "🙈x", len(typed) + 2, enc)
            c.change(rel, [{"range": {"start": end, "end": after}, "text": ""}])
            sent += 2
        if n in (150, 300):
            result, took = c.call("textDocument/documentSymbol", {"textDocument": {"uri": c.open_docs[rel][0]}})
            timings.append(took)
            got = len((result or {}).get("result") or [])
            want = len(entry.findall(typed))
            mid_ok = (mid_ok is not False) and got == want
            if got != want:
                R.check(f"burst: mid-stream symbols after {n + 1} characters", False, f"got {got}, want {want}")
    R.check(f"burst: {sent} edits sent", sent >= 300, str(sent))
    R.check("burst: requests in mid-stream see every edit before them", bool(mid_ok))
    R.check(f"burst: requests in mid-stream answered within {REQUEST_LIMIT:.0f}s", timings and max(timings) <= REQUEST_LIMIT, f"{[round(t, 3) for t in timings]}")
    result, took = c.call("textDocument/documentSymbol", {"textDocument": {"uri": c.open_docs[rel][0]}})
    names = [s["name"] for s in (result or {}).get("result") or []]
    R.equal("burst: the server's text is the typed text (symbols)", names, [f"2026-11-{20 + i} #met" for i in range(8)])
    R.check(f"burst: a request right after answered within {REQUEST_LIMIT:.0f}s", took <= REQUEST_LIMIT, f"{took:.3f}s")
    version = c.open_docs[rel][1]
    ok, diags, _ = c.wait_diagnostics(rel, lambda d: len(d) == 8, version=version)
    R.check("burst: diagnostics of the last version", ok, short(diags))
    if ok:
        got = [sliced(typed, d["range"], enc) for d in diags]
        R.equal("burst: every link placed exactly", got, [f"[[Ghost {i}]]" for i in range(8)])
    history = c.history.get(norm(c.open_docs[rel][0]), [])
    versions = [v for _, v, _ in history if v is not None]
    R.check("burst: published versions never go back", versions == sorted(versions), short(versions))
    R.check("burst: diagnostics were batched, not one per keystroke", len(history) < sent / 3, f"{len(history)} publishes for {sent} edits")
    c.close(rel)


def check_shutdown(c):
    message, took = c.call("shutdown", None)
    R.check("shutdown answers null", message is not None and "error" not in message and message.get("result") is None, short(message))
    c.notify("exit", None)
    try:
        code = c.proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        code = None
    R.equal("exit ends the process with code 0", code, 0)
    time.sleep(0.1)
    panics = [line for line in c.stderr if "panic" in line.lower()]
    R.check("no panic on stderr", not panics, short(panics))


def check_spelling(c, root):
    prefix = norm(file_uri(root)) + "/"
    strays = [u for u in c.diagnostics if not u.startswith(prefix) and "loose" not in u]
    R.check("every diagnostic was published under the client's spelling of the vault", not strays, short(strays))


def section(c, fn, *args):
    """Runs one group of checks; a crash of the script is a failure, and a
    server that is gone ends the run. Returns whether to go on."""
    try:
        fn(c, *args)
    except Exception as e:  # noqa: BLE001 - any surprise is a failed check
        R.check(f"{fn.__name__} ran to its end", False, f"{type(e).__name__}: {e}")
    if c.proc.poll() is not None and fn is not check_shutdown:
        R.check("the server is still running", False, f"exit code {c.proc.returncode}; stderr: {''.join(c.stderr)[-2000:]}")
        return False
    return True


# --------------------------------------------------------------------------
# Runs

RUNS = {
    # name: (positionEncodings offered, client watches files, expected encoding, open the vault through a symlink)
    "utf16-client": (["utf-16"], True, "utf-16", False),
    "utf8-server": (["utf-8", "utf-16"], False, "utf-8", False),
    "utf16-server": (["utf-16"], False, "utf-16", False),
    "utf8-client": (["utf-8", "utf-16"], True, "utf-8", False),
    "linked-client": (["utf-16"], True, "utf-16", True),
    "linked-server": (["utf-8", "utf-16"], False, "utf-8", True),
}


def full_run(name):
    encodings, client_watch, want_enc, linked = RUNS[name]
    R.run = name
    base = tempfile.mkdtemp(prefix="kith-acceptance-")
    try:
        root, loose = make_vault(base)
        if linked:
            # The editor opens the vault by a path through a symbolic link
            # (on macOS /tmp is one): every URI must use that spelling.
            link = pathlib.Path(base) / "linked 🔗"
            os.symlink(root, link)
            root = link
        c = start(root, capabilities(encodings, client_watch, progress=client_watch), name)
        try:
            sections = [
                (check_initialize, want_enc, client_watch),
                (check_unopened,),
                (check_completion,),
                (check_hover_definition_references,),
                (check_unknown_and_out_of_range,),
                (check_loose, loose),
                (check_config,),
                (check_quick_fixes,),
                (check_rename,),
                (check_disk, client_watch),
                (check_burst,),
                (check_spelling, root),
                (check_shutdown,),
            ]
            for fn, *args in sections:
                if not section(c, fn, *args):
                    break
        finally:
            c.end()
            if VERBOSE and c.stderr:
                print("".join(c.stderr[-20:]))
    finally:
        shutil.rmtree(base, ignore_errors=True)


def config_start_run():
    """A broken kith.toml from the first moment, and a client that names no
    position encodings at all (UTF-16 is the default)."""
    R.run = "config-start"
    base = tempfile.mkdtemp(prefix="kith-acceptance-")
    try:
        root, _ = make_vault(base)
        broken = '# Jürgen’s vault 😀\n[rules]\n"vauge-ask" = "hint" # 日本\n'
        (root / "kith.toml").write_text(broken, encoding="utf-8")
        c = start(root, capabilities(None, False, progress=False), "config-start")
        try:
            if section(c, config_start_checks, broken):
                section(c, check_shutdown)
        finally:
            c.end()
    finally:
        shutil.rmtree(base, ignore_errors=True)


def config_start_checks(c, broken):
    R.equal("no positionEncodings offered: UTF-16", c.enc, "utf-16")
    ok, diags, _ = c.wait_diagnostics("kith.toml", lambda d: bool(d))
    R.check("broken kith.toml at start: reported on kith.toml", ok and diags[0].get("severity") == 1, short(diags))
    if ok:
        got = sliced(broken, diags[0]["range"], "utf-16")
        R.check("broken kith.toml at start: on the unknown rule's name", got.strip('"') == "vauge-ask", f"covers {got!r}")
        R.check("broken kith.toml at start: suggests the rule", "vague-ask" in diags[0].get("message", ""), diags[0].get("message", ""))
    ok, diags, _ = c.wait_diagnostics("people/max.md", lambda d: any(x.get("code") == "vague-ask" and x.get("severity") == 3 for x in d))
    R.check("broken kith.toml at start: the vault is analysed with the defaults", ok, short(diags))
    c.write("kith.toml", CONFIG)
    ok, _, took = c.wait_diagnostics("kith.toml", lambda d: not d, timeout=WAIT)
    R.check("kith.toml fixed on disk (server watches): cleared", ok, f"{took:.2f}s")
    ok, _, _ = c.wait_diagnostics("people/max.md", lambda d: any(x.get("code") == "vague-ask" and x.get("severity") == 4 for x in d))
    R.check("kith.toml fixed on disk: its settings apply", ok)


def main():
    if not os.path.exists(KITH_BIN):
        print(f"lsp-acceptance: no kith binary at {KITH_BIN} (build it or set KITH_BIN)", file=sys.stderr)
        return 2
    chosen = [a for a in sys.argv[1:] if not a.startswith("-")] or list(RUNS) + ["config-start"]
    for name in chosen:
        if name == "config-start":
            config_start_run()
        elif name in RUNS:
            full_run(name)
        else:
            print(f"lsp-acceptance: no run {name!r}; runs: {', '.join(list(RUNS) + ['config-start'])}", file=sys.stderr)
            return 2
    print(f"lsp-acceptance: {R.passed} passed, {len(R.failed)} failed")
    for label in R.failed:
        print(f"  failed: {label}")
    return 1 if R.failed else 0


if __name__ == "__main__":
    sys.exit(main())
