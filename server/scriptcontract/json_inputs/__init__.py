"""The JSON files beside a script that hold its inputs: the sidecar inputs file and the cases
file. Where their inputs objects are, what is wrong in them, what a key can be, and what
values it can take."""
