"""scriptcontract: check, run and serve JSON-in/JSON-out workflow scripts."""

__version__ = "0.1.0"
