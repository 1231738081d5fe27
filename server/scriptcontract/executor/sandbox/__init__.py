"""The sandbox: the bootstrap that runs inside the child and the code that confines it.

Files in this package other than this one run in the *script's* interpreter (Python 3.8
or newer, standard library only), never in the caller's.
"""

from __future__ import annotations

from pathlib import Path

BOOTSTRAP = Path(__file__).with_name("bootstrap.py")
ZYGOTE = Path(__file__).with_name("zygote.py")
# The script `scriptcontract doctor` runs to see which protections hold.
PROBE = Path(__file__).with_name("probe.py")
# Where an interpreter's site-packages read from, found without running them (the
# interpreter probe runs it, as the bootstrap does).
SITE_PATHS = Path(__file__).with_name("_scriptcontract_confine") / "_site_paths.py"
# The bootstrap exits with this code when a required protection is unavailable.
REFUSED_EXIT_CODE = 125
# ... and with this one when a debug run's debugpy cannot start (_debuggee.py).
NO_DEBUGGER_EXIT_CODE = 126
