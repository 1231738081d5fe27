"""A step runner that leaves the reading to another module of the project."""
from common.fd_input import read_payload


def run(step):
    return step(read_payload())
