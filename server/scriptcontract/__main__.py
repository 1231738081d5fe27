"""`python -m scriptcontract` is the same as the `scriptcontract` command."""

from scriptcontract.cli import main

raise SystemExit(main())
