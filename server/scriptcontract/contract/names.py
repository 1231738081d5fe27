"""The library calls the analyser recognises, by fully qualified name (after alias resolution)."""

from __future__ import annotations

import sys

# Reading and parsing JSON. yaml's loaders accept JSON too, so a script that parses stdin
# with them is not told that it never parses JSON.
JSON_PARSE = frozenset(
    {
        "json.load",
        "json.loads",
        "orjson.loads",
        "ujson.load",
        "ujson.loads",
        "simplejson.load",
        "simplejson.loads",
        "rapidjson.load",
        "rapidjson.loads",
        "yaml.safe_load",
        "yaml.load",
        "ast.literal_eval",
        "pandas.read_json",
    }
)
JSON_PARSE_METHODS = frozenset({"model_validate_json", "parse_raw", "validate_json"})
JSON_DUMPS = frozenset(
    {"json.dumps", "orjson.dumps", "ujson.dumps", "simplejson.dumps", "rapidjson.dumps"}
)
JSON_DUMPS_METHODS = frozenset({"model_dump_json"})
JSON_DUMP_TO_STREAM = frozenset({"json.dump", "ujson.dump", "simplejson.dump", "rapidjson.dump"})

STDIN = "sys.stdin"
STDOUT = "sys.stdout"
STDERR = "sys.stderr"
STREAMS = frozenset({STDIN, STDOUT, STDERR})
STDOUT_WRITES = frozenset({"sys.stdout.write", "sys.stdout.writelines", "sys.stdout.buffer.write"})
PPRINT_TO_STDOUT = frozenset({"pprint.pprint", "pprint.pp"})
REDIRECT_STDOUT = frozenset({"contextlib.redirect_stdout"})
LOGGING_STREAM_SETUP = frozenset({"logging.basicConfig", "logging.StreamHandler"})
OTHER_STDIN_READS = frozenset({"input", "fileinput.input", "fileinput.FileInput"})

EXITS = frozenset({"sys.exit", "exit", "quit", "os._exit", "builtins.exit", "builtins.quit"})

SUBPROCESS_WITH_TIMEOUT = frozenset(
    {"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output"}
)
SUBPROCESS_POPEN = "subprocess.Popen"
SHELL_NO_TIMEOUT = frozenset(
    {
        "os.system",
        "os.popen",
        "subprocess.getoutput",
        "subprocess.getstatusoutput",
        "commands.getoutput",
    }
)
SUBPROCESS_ANY = SUBPROCESS_WITH_TIMEOUT | SHELL_NO_TIMEOUT | {SUBPROCESS_POPEN}

# Network calls and the position of their `timeout` parameter (None: keyword only).
NETWORK_TIMEOUT_POSITION: dict[str, int | None] = {
    "urllib.request.urlopen": 2,
    "socket.create_connection": 1,
    "http.client.HTTPConnection": 2,
    "http.client.HTTPSConnection": 2,
    "smtplib.SMTP": 3,
    "smtplib.SMTP_SSL": 3,
    "ftplib.FTP": 4,
    "telnetlib.Telnet": 2,
    "requests.get": None,
    "requests.post": None,
    "requests.put": None,
    "requests.patch": None,
    "requests.delete": None,
    "requests.head": None,
    "requests.options": None,
    "requests.request": None,
}
REQUESTS_SESSIONS = frozenset({"requests.Session", "requests.session"})
SESSION_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})

SLEEPS = frozenset({"time.sleep", "asyncio.sleep"})

# Calls that open, list, create or remove files, and which positional arguments are paths.
FILE_ACCESS: dict[str, tuple[int, ...]] = {
    "open": (0,),
    "io.open": (0,),
    "codecs.open": (0,),
    "gzip.open": (0,),
    "bz2.open": (0,),
    "lzma.open": (0,),
    "tarfile.open": (0,),
    "zipfile.ZipFile": (0,),
    "sqlite3.connect": (0,),
    "shelve.open": (0,),
    "os.open": (0,),
    "os.listdir": (0,),
    "os.scandir": (0,),
    "os.walk": (0,),
    "os.stat": (0,),
    "os.lstat": (0,),
    "os.remove": (0,),
    "os.unlink": (0,),
    "os.rmdir": (0,),
    "os.removedirs": (0,),
    "os.mkdir": (0,),
    "os.makedirs": (0,),
    "os.chmod": (0,),
    "os.chown": (0,),
    "os.truncate": (0,),
    "os.rename": (0, 1),
    "os.replace": (0, 1),
    "os.symlink": (0, 1),
    "os.link": (0, 1),
    "os.path.exists": (0,),
    "os.path.isfile": (0,),
    "os.path.isdir": (0,),
    "os.path.getsize": (0,),
    "os.path.getmtime": (0,),
    "pathlib.Path": (0,),
    "pathlib.PurePath": (0,),
    "pathlib.PosixPath": (0,),
    "pathlib.WindowsPath": (0,),
    "shutil.copy": (0, 1),
    "shutil.copy2": (0, 1),
    "shutil.copyfile": (0, 1),
    "shutil.copytree": (0, 1),
    "shutil.move": (0, 1),
    "shutil.rmtree": (0,),
    "glob.glob": (0,),
    "glob.iglob": (0,),
    "numpy.load": (0,),
    "numpy.loadtxt": (0,),
    "numpy.save": (0,),
    "pandas.read_csv": (0,),
    "pandas.read_json": (0,),
    "pandas.read_excel": (0,),
    "pandas.read_parquet": (0,),
}
FILE_ACCESS_KEYWORDS = frozenset({"file", "path", "filename", "filepath_or_buffer", "src", "dst"})
PATH_JOIN = frozenset({"os.path.join", "posixpath.join"})
# Whole-file reads on a file object or a path.
WHOLE_READ_METHODS = frozenset({"read", "readlines"})
PATH_WHOLE_READS = frozenset({"read_text", "read_bytes"})
# Calls that look at a path before use: their presence means the author checked it.
PATH_CHECKS = frozenset(
    {
        "os.path.abspath",
        "os.path.realpath",
        "os.path.normpath",
        "os.path.commonpath",
        "os.path.commonprefix",
        "os.path.isabs",
        "os.path.relpath",
    }
)
PATH_CHECK_METHODS = frozenset(
    {"resolve", "is_relative_to", "relative_to", "startswith", "is_absolute", "absolute"}
)

EVAL_CALLS = frozenset({"eval", "exec", "compile", "builtins.eval", "builtins.exec"})
UNSAFE_LOADS = frozenset(
    {
        "pickle.loads",
        "pickle.load",
        "cPickle.loads",
        "cPickle.load",
        "dill.loads",
        "dill.load",
        "marshal.loads",
        "marshal.load",
        "shelve.open",
        "yaml.unsafe_load",
        "yaml.full_load",
    }
)

# Modules that are known not to read stdin or print the script's result on its behalf. A call
# into any other non-standard module (often a shared helper of the project) may do either, so
# the I/O rules stay silent for scripts that make one.
WELL_KNOWN_THIRD_PARTY = frozenset(
    {
        "requests",
        "httpx",
        "urllib3",
        "aiohttp",
        "numpy",
        "pandas",
        "scipy",
        "yaml",
        "orjson",
        "ujson",
        "simplejson",
        "rapidjson",
        "pydantic",
        "dateutil",
        "pytz",
        "boto3",
        "botocore",
        "bs4",
        "lxml",
        "PIL",
        "openpyxl",
        "jinja2",
        "jsonschema",
        "sqlalchemy",
        "psycopg2",
        "pymysql",
        "redis",
        "tqdm",
        "dill",
        "toml",
        "tomli",
        "attr",
        "attrs",
        "chardet",
        "markdown",
    }
)
STDLIB_MODULES: frozenset[str] = frozenset(getattr(sys, "stdlib_module_names", ()))


def is_known_module(qualname: str) -> bool:
    """True when `qualname` is in the standard library or a well-known third-party package."""
    top = qualname.split(".", 1)[0]
    return bool(top) and (top in STDLIB_MODULES or top in WELL_KNOWN_THIRD_PARTY)
