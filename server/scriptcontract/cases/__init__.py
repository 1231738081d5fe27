"""Recorded cases of a script: the file's model, matching a run, editing the file.

Pure: no language server, no executor. A run's result comes in as an `Actual`; `case_runner`
runs the cases through the executor, `commands/test.py` and `lsp/` report them.

- `model.py`: what a `<script>.cases.json` holds, and its JSON Schema (`schema.py`);
- `loading.py`: its text read into a tree and a model, with every problem located;
- `matching.py`: a run compared with a case, difference by difference, placeholders aside;
- `editing.py`: expectations rewritten from a run, a new case from a run, as text edits;
- `files.py`: where the file is, reading and writing it safely.
"""
