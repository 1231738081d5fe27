"""Prints a fixed host list, narrowed by a name given on the command line: nothing here can
raise (no parse, no file, no call it does not define), so there is no error to handle."""

import argparse
import json
import sys

HOSTS = {"web": ["web-1", "web-2"], "db": ["db-1"]}


def usage() -> None:
    print(json.dumps({"success": False, "error": "usage: cannot_fail.py GROUP"}))
    sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pretty", action="store_true")
    if len(sys.argv) < 2:
        usage()
    group = sys.argv[1].strip().lower()
    hosts = HOSTS.get(group, [])
    label = "group %s" % group
    print(json.dumps({"success": True, "label": label, "hosts": sorted(hosts)}))


if __name__ == "__main__":  # expect: SCR101
    main()
