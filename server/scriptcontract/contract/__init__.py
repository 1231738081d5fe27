"""Pure contract analysis: a workflow script's source in, `Finding`s out. No I/O, no LSP."""
