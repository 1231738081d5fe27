"""The modules of a script's own project, and what their functions do with stdin and stdout.

A script that calls `helpers.read_inputs()` or `helpers.emit(result)` reads and writes
through a module of its project. The module is found the way the executor's `sys.path`
finds it (the script's folder first, then the project root; relative imports from the
importer's package), analysed once, and summarised: which of its functions read stdin,
write to stdout, write JSON. The files are read through a callback, so that
this layer stays pure: `check` reads the disk, the language server its open documents first.

Only a module found in the project proves anything: a call into a module that cannot be
found (an installed package, a file outside the project) proves no delegation.
"""

from __future__ import annotations

import ast
import os
import posixpath
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from scriptcontract.contract import names as N
from scriptcontract.contract.delegation import IMPORT, RUN, Reference
from scriptcontract.digests import digest as content_digest

# Read a file's text by its absolute path; None when there is no such file.
ReadSource = Callable[[str], "str | None"]
# The files an answer was read from, each with its digest (None: no such file then).
Dependencies = tuple[tuple[str, "str | None"], ...]
T = TypeVar("T")
# A value found by looking at files, with the files looked at (found or not).
Looked = tuple[T, frozenset[str]]

MAX_DEPTH = 3  # helpers that import helpers: far enough for real projects
CACHE_LIMIT = 2048
# Text any stdin read (or stdout write) needs. A module without it, importing no project
# module that has it, cannot read stdin (write stdout): that question is answered without
# parsing the module.
READS = ("stdin", "input(", "fileinput")
WRITES = ("stdout", "print(", "pprint", ".dump(")
NEEDS = {"reads": READS, "writes": WRITES, "any": READS + WRITES}
# open(0), os.read(0, n): stdin by its file descriptor.
FILE_DESCRIPTOR_0 = re.compile(r"\b(?:open|read|fdopen)\([ \t]*0[ \t]*[,)]")
IMPORTS = re.compile(
    r"^[ \t]*(?:from[ \t]+(?P<source>\.*[\w.]*)[ \t]+import[ \t]+(?P<names>[\w, \t*()]+)"
    r"|import[ \t]+(?P<modules>[\w., \t]+))",
    re.MULTILINE,
)


@dataclass(frozen=True)
class ModuleFacts:
    """What one module of the project does itself, by function (`name`, `Class.name`), and
    where each function goes on into other modules (not followed here: see
    `ProjectModules.does`). `IMPORT` and `RUN` stand for the module imported and run as a
    script."""

    path: str
    reads_stdin: frozenset[str]
    writes_stdout: frozenset[str]
    references: dict[str, frozenset[Reference]] = field(default_factory=dict)
    # Top-level functions whose every return is plain text: printing what they return
    # writes text, not JSON.
    returns_text: frozenset[str] = frozenset()

    def does(self, attribute: str) -> tuple[bool, bool]:
        """(reads stdin, writes stdout) of `attribute` itself, not through other modules."""
        return attribute in self.reads_stdin, attribute in self.writes_stdout


class ModuleCache:
    """Module facts by path and content: one analysis per version of a file, shared by the
    analyses of one process (all the scripts of a `check` worker, the server's documents)."""

    def __init__(self, snapshot: bool = False) -> None:
        # A snapshot: the files do not change while the cache lives (one `check` run), so
        # which file an import finds, and its text, are kept too.
        self.snapshot = snapshot
        self.texts: dict[str, str | None] = {}
        self.found: dict[tuple[str, str, str | None], Looked[str | None]] = {}
        self.targets: dict[tuple[Reference, str, str | None], Looked[tuple[str, str] | None]] = {}
        self._entries: dict[str, tuple[str, ModuleFacts | None]] = {}
        self._digests: dict[str, tuple[str, str]] = {}
        self._classes: dict[str, tuple[str, frozenset[str]]] = {}
        self._may: dict[tuple[str, str, str], tuple[bool, Dependencies]] = {}
        self._lock = threading.Lock()

    def may(self, key: tuple[str, str, str]) -> tuple[bool, Dependencies] | None:
        with self._lock:
            return self._may.get(key)

    def remember(self, key: tuple[str, str, str], answer: bool, dependencies: Dependencies) -> None:
        with self._lock:
            if len(self._may) >= CACHE_LIMIT * 2:
                self._may.clear()
            self._may[key] = (answer, dependencies)

    def digest(self, path: str, text: str) -> str:
        """A digest of `text`, the content of `path`: computed once per version of a file."""
        with self._lock:
            known = self._digests.get(path)
        if known is not None and known[0] is text:
            return known[1]
        digest = content_digest(text.encode("utf-8", "surrogatepass"))
        with self._lock:
            if len(self._digests) >= CACHE_LIMIT:
                self._digests.clear()
            self._digests[path] = (text, digest)
        return digest

    def classes(self, path: str, digest: str, text: str) -> frozenset[str]:
        with self._lock:
            known = self._classes.get(path)
        if known is not None and known[0] == digest:
            return known[1]
        found = frozenset(re.findall(r"^class[ \t]+(\w+)", text, re.MULTILINE))
        with self._lock:
            if len(self._classes) >= CACHE_LIMIT:
                self._classes.clear()
            self._classes[path] = (digest, found)
        return found

    def get(self, path: str, digest: str) -> tuple[bool, ModuleFacts | None]:
        with self._lock:
            entry = self._entries.get(path)
        if entry is not None and entry[0] == digest:
            return True, entry[1]
        return False, None

    def put(self, path: str, digest: str, facts: ModuleFacts | None) -> None:
        with self._lock:
            if len(self._entries) >= CACHE_LIMIT:
                self._entries.clear()
            self._entries[path] = (digest, facts)


@dataclass
class ProjectModules:
    """The project of one script, for one analysis: resolves its imports to files and says
    what those modules do. `used` collects every path the answers depend on, the files
    read and the candidates looked for and not found (a helper created later shadows an
    installed package), also when an answer comes from a cache: a caller re-analyses the
    script (or misses its cache entry) when one of them changes or appears."""

    read: ReadSource
    root: str | None
    cache: ModuleCache = field(default_factory=ModuleCache)
    used: set[str] = field(default_factory=set)
    _texts: dict[str, str | None] = field(default_factory=dict)
    _found: dict[tuple[str, str, str | None], Looked[str | None]] = field(default_factory=dict)
    _targets: dict[tuple[Reference, str, str | None], Looked[tuple[str, str] | None]] = field(
        default_factory=dict
    )
    _answers: dict[tuple[str, str, str, int], tuple[bool, bool]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        cache = self.cache
        if cache.snapshot:
            if max(len(cache.texts), len(cache.found), len(cache.targets)) > CACHE_LIMIT * 8:
                cache.texts.clear()
                cache.found.clear()
                cache.targets.clear()
            self._texts, self._found, self._targets = cache.texts, cache.found, cache.targets

    def search_path(self, script: str | None) -> list[str]:
        """The folders an import is looked up in: the script's own, then the project root."""
        folders: list[str] = []
        if script:
            folders.append(os.path.dirname(os.path.abspath(script)))
        if self.root and os.path.abspath(self.root) not in folders:
            folders.append(os.path.abspath(self.root))
        return folders

    def find(self, module: str, script: str | None) -> str | None:
        """The file of module `module` (dotted; leading dots: relative to `script`)."""
        key = (module, os.path.dirname(script) if script else "", self.root)
        known = self._found.get(key)
        if known is None:
            known = self._found[key] = self._recorded(lambda: self._find(module, script))
        self.used |= known[1]
        return known[0]

    def _recorded(self, compute: Callable[[], T]) -> Looked[T]:
        """`compute()`, and the paths it looked at, which are also added to `used`."""
        outer = self.used
        self.used = set()
        try:
            value = compute()
        finally:
            inner = self.used
            self.used = outer
            outer |= inner
        return value, frozenset(inner)

    def _find(self, module: str, script: str | None) -> str | None:
        level = len(module) - len(module.lstrip("."))
        dotted = module[level:]
        if level:
            if not script:
                return None
            base = os.path.dirname(os.path.abspath(script))
            for _ in range(level - 1):
                base = os.path.dirname(base)
            folders = [base]
        else:
            if not dotted or N.is_known_module(dotted):
                return None
            folders = self.search_path(script)
        parts = dotted.split(".") if dotted else []
        for folder in folders:
            stem = posixpath.join(folder.replace(os.sep, "/"), *parts) if parts else folder
            for candidate in (f"{stem}.py", f"{stem}/__init__.py"):
                if self._text(candidate) is not None:
                    return candidate
        return None

    def file_text(self, path: str) -> str | None:
        """The text of another file of the project the findings depend on (the declared
        schema beside a script), read like a module's and counted in `used`."""
        return self._text(path)

    def _text(self, path: str) -> str | None:
        if path in self._texts:
            text = self._texts[path]
        else:
            try:
                text = self.read(path)
            except (OSError, UnicodeDecodeError, ValueError):
                text = None
            self._texts[path] = text
        self.used.add(path)
        return text

    def resolve(self, reference: Reference, importer: str | None) -> tuple[str, str] | None:
        """The module file and the attribute (`name`, `Class.name`, `IMPORT`, `RUN`) a
        reference made in `importer` leads to; None when it leads out of the project."""
        key = (reference, os.path.dirname(importer) if importer else "", self.root)
        known = self._targets.get(key)
        if known is None:
            known = self._targets[key] = self._recorded(lambda: self._resolve(reference, importer))
        self.used |= known[1]
        return known[0]

    def _resolve(self, reference: Reference, importer: str | None) -> tuple[str, str] | None:
        kind, name = reference.kind, reference.name
        if kind == "file":
            file = os.path.normpath(os.path.join(self.root or ".", name))
            return (file, RUN) if self._text(file) is not None else None
        if kind in ("import", "run", "loaded"):
            found = self.find(name, importer)
            attribute = {"import": IMPORT, "run": RUN}.get(kind, reference.attribute)
            return (found, attribute) if found is not None else None
        level = len(name) - len(name.lstrip("."))
        parts = name[level:].split(".")
        for split in (len(parts) - 1, len(parts) - 2):
            if split < (0 if level else 1):
                continue
            path = self.find("." * level + ".".join(parts[:split]), importer)
            if path is None:
                continue
            attribute = ".".join(parts[split:])
            if kind == "call":
                return path, attribute
            # An instance of a class of the module: its method runs.
            if attribute not in self.classes(path):
                return None
            return path, f"{attribute}.{reference.attribute}"
        return None

    def classes(self, path: str) -> frozenset[str]:
        """The names of the module's top-level classes, read from its text."""
        text = self._text(path)
        if text is None:
            return frozenset()
        return self.cache.classes(path, self.cache.digest(path, text), text)

    def does(self, path: str, attribute: str, need: str, depth: int = 0) -> tuple[bool, bool]:
        """(reads stdin, writes stdout) when `attribute` of the module at `path` is called
        (`IMPORT`: the module imported, `RUN`: run as a script), through the modules it
        calls in turn. With `need` ("reads", "writes" or "any"), modules that cannot do that
        I/O (see `NEEDS`) are not parsed: a module is parsed at most once, and only when
        the question asked of it may have an answer."""
        key = (path, attribute, need, depth)
        known = self._answers.get(key)
        if known is not None:
            return known
        self._answers[key] = (False, False)  # a cycle proves nothing
        answer = self._does(path, attribute, need, depth)
        self._answers[key] = answer
        return answer

    def _does(self, path: str, attribute: str, need: str, depth: int) -> tuple[bool, bool]:
        if not (self.may_on_import if attribute == IMPORT else self.may)(path, need):
            return False, False
        facts = self.facts(path)
        if facts is None:
            return False, False
        reads, writes = facts.does(attribute)
        if depth + 1 >= MAX_DEPTH:
            return reads, writes
        for reference in facts.references.get(attribute, ()):
            if _answered(need, reads, writes):
                break
            target = self.resolve(reference, path)
            if target is not None:
                more = self.does(target[0], target[1], need, depth + 1)
                reads, writes = reads or more[0], writes or more[1]
        return reads, writes

    def returns_text(self, path: str, attribute: str) -> bool:
        """Whether function `attribute` of the module at `path` returns plain text."""
        facts = self.facts(path)
        return facts is not None and attribute in facts.returns_text

    def facts(self, path: str) -> ModuleFacts | None:
        """The summary of the module at `path`, from the cache when its text is unchanged."""
        text = self._text(path)
        if text is None:
            return None
        digest = self.cache.digest(path, text)
        known, facts = self.cache.get(path, digest)
        if known:
            return facts
        facts = _summarise(path, text)
        self.cache.put(path, digest, facts)
        return facts

    def may(self, path: str, need: str) -> bool:
        """Whether the module, or a project module it imports, has the text `need` needs."""
        text = self._text(path)
        if text is None:
            return False
        key = (path, self.cache.digest(path, text), need)
        known = self.cache.may(key)
        # The answer also depends on the modules this one imports: still theirs?
        if known is not None and all(self._digest(p) == d for p, d in known[1]):
            return known[0]
        answer, looked = self._recorded(lambda: self._may_do(path, text, need, set()))
        self.cache.remember(key, answer, tuple((p, self._digest(p)) for p in sorted(looked)))
        return answer

    def _digest(self, path: str) -> str | None:
        text = self._text(path)
        return None if text is None else self.cache.digest(path, text)

    def may_on_import(self, path: str, need: str) -> bool:
        """Whether importing the module may do that I/O: its text outside definitions and
        the `__main__` block has what the I/O needs."""
        text = self._text(path)
        if text is None:
            return False
        key = (path, self.cache.digest(path, text), f"import {need}")
        known = self.cache.may(key)
        if known is not None:
            return known[0]
        answer = _has(_import_time_text(text), need)
        self.cache.remember(key, answer, ())
        return answer

    def _may_do(self, path: str, text: str, need: str, seen: set[str]) -> bool:
        if _has(text, need):
            return True
        seen.add(path)
        for module in _imported_names(text):
            found = self.find(module, path)
            if found is None or found in seen:
                continue
            other = self._text(found)
            if other is not None and self._may_do(found, other, need, seen):
                return True
        return False


def _answered(need: str, reads: bool, writes: bool) -> bool:
    return (reads or need == "writes") and (writes or need == "reads")


def _has(text: str, need: str) -> bool:
    if any(word in text for word in NEEDS[need]):
        return True
    return need != "writes" and FILE_DESCRIPTOR_0.search(text) is not None


def _imported_names(text: str) -> list[str]:
    """The modules a text imports, read from its import lines without parsing it."""
    modules: list[str] = []
    for match in IMPORTS.finditer(text):
        if match["source"] is None:
            modules.extend(m.strip().split(" ")[0] for m in match["modules"].split(","))
            continue
        base = match["source"]
        modules.append(base)
        for name in match["names"].replace("(", " ").replace(")", " ").split(","):
            name = name.strip().split(" ")[0]
            if name and name != "*":
                modules.append(f"{base}.{name}" if base.strip(".") else f"{base}{name}")
    return [m for m in modules if m.strip(".")]


BLOCK_STARTS = ("def ", "async def ", "class ", "@", "if __name__")


def _import_time_text(text: str) -> str:
    """The lines of a module outside its top-level definitions and `__main__` block."""
    kept: list[str] = []
    inside = False
    for line in text.splitlines():
        if line[:1] not in ("", " ", "\t", "#"):
            inside = line.startswith(BLOCK_STARTS)
        if not inside:
            kept.append(line)
    return "\n".join(kept)


def _summarise(path: str, text: str) -> ModuleFacts | None:
    # Imported here: the analysis modules import this one.
    from scriptcontract.contract.facts import Facts
    from scriptcontract.contract.model import ScriptModel

    try:
        tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    model = ScriptModel.build(tree)
    try:
        # Its own facts only: where it goes on is followed when a question needs it.
        return Facts(model, path=path).module_facts()
    finally:
        model.release()
