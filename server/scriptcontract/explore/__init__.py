"""Exploration: inputs generated from a script's schema, run in the sandbox, failures shrunk.

`generate` makes inputs from a JSON Schema (simplest first, then edge values, then random
ones, all from one seed), `failures` tells a run that breaks the contract from one that
answers, `shrink` makes a failing input smaller while it fails the same way, and `session`
runs them all on the project's warm executor within a run and a time budget. The CLI
(`scriptcontract test --explore`) and the language server only present what it finds.
"""
