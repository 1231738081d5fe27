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
import hashlib
import os
import posixpath
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from scriptcontract.contract import names as N

# Read a file's text by its absolute path; None when there is no such file.
ReadSource = Callable[[str], "str | None"]

MAX_DEPTH = 3  # helpers that import helpers: far enough for real projects
CACHE_LIMIT = 2048
# Text any stdin read (or stdout write) needs. A module without it, importing no project
# module that has it, cannot read stdin (write stdout): that question is answered without
# parsing the module.
READS = r"stdin|\binput\(|fileinput"
WRITES = r"stdout|\bprint\(|pprint|\.dump\("
NEEDS = {
    "reads": re.compile(READS),
    "writes": re.compile(WRITES),
    "any": re.compile(f"{READS}|{WRITES}"),
}
NO_FACTS = frozenset[str]()
IMPORTS = re.compile(
    r"^[ \t]*(?:from[ \t]+(?P<source>\.*[\w.]*)[ \t]+import[ \t]+(?P<names>[\w, \t*()]+)"
    r"|import[ \t]+(?P<modules>[\w., \t]+))",
    re.MULTILINE,
)


@dataclass(frozen=True)
class ModuleFacts:
    """What one module of the project does, by function (`name`, `Class.name`)."""

    path: str
    reads_stdin: frozenset[str]
    writes_stdout: frozenset[str]
    writes_json: frozenset[str]
    classes: frozenset[str]
    # Import-time: the module's own top-level statements read stdin or write stdout; run
    # as a script, its `__main__` block too.
    reads_on_import: bool = False
    writes_on_import: bool = False
    reads_when_run: bool = False
    writes_when_run: bool = False

    def does(self, attribute: str) -> tuple[bool, bool]:
        """(reads stdin, writes stdout) when `attribute` of the module is called."""
        return attribute in self.reads_stdin, attribute in self.writes_stdout


class ModuleCache:
    """Module facts by path and content: one analysis per version of a file, shared by the
    analyses of one process (all the scripts of a `check` worker, the server's documents)."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[str, ModuleFacts | None]] = {}
        self._may: dict[tuple[str, str, str], bool] = {}
        self._lock = threading.Lock()

    def may(self, key: tuple[str, str, str]) -> bool | None:
        with self._lock:
            return self._may.get(key)

    def remember(self, key: tuple[str, str, str], answer: bool) -> None:
        with self._lock:
            if len(self._may) >= CACHE_LIMIT * 2:
                self._may.clear()
            self._may[key] = answer

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
    what those modules do. `used` collects every module file looked at, so that a caller
    can re-analyse the script when one of them changes."""

    read: ReadSource
    root: str | None
    cache: ModuleCache = field(default_factory=ModuleCache)
    used: set[str] = field(default_factory=set)
    _depth: int = 0
    _texts: dict[str, str | None] = field(default_factory=dict)
    _digests: dict[str, str] = field(default_factory=dict)

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
                if self._exists(candidate):
                    return candidate
        return None

    def _exists(self, path: str) -> bool:
        return self._text(path) is not None

    def _text(self, path: str) -> str | None:
        if path not in self._texts:
            try:
                self._texts[path] = self.read(path)
            except (OSError, UnicodeDecodeError, ValueError):
                self._texts[path] = None
        return self._texts[path]

    def facts(self, path: str, need: str | None = None) -> ModuleFacts | None:
        """The facts of the module at `path`, from the cache when its text is unchanged.

        With `need` ("reads", "writes" or "any"), a module that cannot do that I/O (see
        `NEEDS`) gets empty facts without being parsed: a module is parsed at most once, and
        only when the question asked of it may have an answer.
        """
        text = self._text(path)
        if text is None:
            return None
        self.used.add(path)
        digest = self._digest(path, text)
        known, facts = self.cache.get(path, digest)
        if known:
            return facts
        if self._depth >= MAX_DEPTH:
            return None
        if need is not None and not self.may(path, need):
            return ModuleFacts(path, NO_FACTS, NO_FACTS, NO_FACTS, _classes(text))
        facts = _summarise(self, path, text)
        self.cache.put(path, digest, facts)
        return facts

    def may(self, path: str, need: str) -> bool:
        """Whether the module, or a project module it imports, has the text `need` needs."""
        text = self._text(path)
        if text is None:
            return False
        key = (path, self._digest(path, text), need)
        answer = self.cache.may(key)
        if answer is None:
            answer = self._may_do(path, text, need, set())
            self.cache.remember(key, answer)
        return answer

    def may_on_import(self, path: str, need: str) -> bool:
        """Whether importing the module may do that I/O: its text outside definitions and
        the `__main__` block has what the I/O needs."""
        text = self._text(path)
        if text is None:
            return False
        key = (path, self._digest(path, text), f"import {need}")
        answer = self.cache.may(key)
        if answer is None:
            answer = bool(NEEDS[need].search(_import_time_text(text)))
            self.cache.remember(key, answer)
        return answer

    def _digest(self, path: str, text: str) -> str:
        digest = self._digests.get(path)
        if digest is None:
            digest = hashlib.blake2b(
                text.encode("utf-8", "surrogatepass"), digest_size=16
            ).hexdigest()
            self._digests[path] = digest
        return digest

    def _may_do(self, path: str, text: str, need: str, seen: set[str]) -> bool:
        if NEEDS[need].search(text):
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

    def nested(self) -> ProjectModules:
        """The same project, one import further down (helpers importing helpers)."""
        return ProjectModules(
            self.read, self.root, self.cache, self.used, self._depth + 1, self._texts, self._digests
        )


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


def _classes(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"^class[ \t]+(\w+)", text, re.MULTILINE))


def _summarise(project: ProjectModules, path: str, text: str) -> ModuleFacts | None:
    # Imported here: the analysis modules import this one.
    from scriptcontract.contract.facts import Facts
    from scriptcontract.contract.model import ScriptModel

    try:
        tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    model = ScriptModel.build(tree)
    try:
        facts = Facts(model, modules=project.nested(), path=path)
        return facts.module_facts()
    finally:
        model.release()
