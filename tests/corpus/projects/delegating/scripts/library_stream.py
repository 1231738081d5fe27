"""A library outside the project reads stdin and writes stdout for the script (a notebook
filter's idiom): the streams are handed over, so no rule says they are never read or
written, but the library catches nothing of the script's. With no handler at all, a
malformed document still ends the run with a traceback and no JSON (SCR202)."""
import sys

import notebook_format


def strip(document):
    for cell in document.cells:
        cell.outputs = []
    return document


if __name__ == "__main__":  # expect: SCR202
    document = notebook_format.read(sys.stdin, as_version=4)
    notebook_format.write(strip(document), sys.stdout)
