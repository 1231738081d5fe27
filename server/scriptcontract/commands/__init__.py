"""One module per `scriptcontract` subcommand: each has `register(subparsers)` and `run(args)`."""
