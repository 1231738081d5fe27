"""debugpy's adapter as "Debug with inputs" starts it: the debuggee must prove itself.

The adapter listens on a loopback port for the debuggee, and every process of the machine,
a run of the same project with the network on included, may connect to it. debugpy's
adapter, in `attach` with `listen`, takes the first connection that says who it is as the
session's debuggee: a run that connected first was sent the session's breakpoints and what
the user typed in the debug console, and showed a state of its own making. Started from
`__main__.py` here, the adapter takes only a debuggee that presents the session's client
token (which the executor hands the debug run, never a run of its own), and gives up on one
that does not answer within seconds (the adapter accepts one connection at a time).
"""
