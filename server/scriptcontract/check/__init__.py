"""`scriptcontract check`: find the workflow scripts, analyse them in parallel, report, fix."""
