"""network = false: TCP, UDP, raw and unix sockets refused; network = true: TCP works.

Each refusal stands beside its positive control: the same statement with the protection
off (the network on; for unix sockets, the filter off) reaches what it aimed at.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from scriptcontract.executor import ExecutionResult, SandboxPolicy
from tests.conftest import Project
from tests.executor.conftest import MakeExecutor
from tests.executor.test_sandbox_platform import attempt_script, needs_seccomp

pytestmark = needs_seccomp


class Listener:
    """A TCP server on 127.0.0.1 that counts connections: a refusal must be the sandbox's."""

    def __init__(self) -> None:
        self.connections = 0
        self.port = 0

    async def serve(self) -> asyncio.Server:
        def accepted(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.connections += 1
            writer.write(b"hello from the listener")
            writer.close()

        server = await asyncio.start_server(accepted, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        return server


@pytest.fixture
async def listener() -> AsyncIterator[Listener]:
    tcp = Listener()
    server = await tcp.serve()
    yield tcp
    server.close()
    await server.wait_closed()


async def attempt(
    project: Project,
    make_executor: MakeExecutor,
    statement: str,
    *,
    network: bool,
    syscalls: bool = True,
) -> ExecutionResult:
    project.write("scripts/attempt.py", attempt_script(statement))
    policy = SandboxPolicy(network=network, syscalls=syscalls)
    result = await make_executor(project.root, sandbox=policy).execute_script("scripts/attempt.py")
    assert result.success, (result.error, result.stderr)
    assert result.output is not None
    return result


def assert_got_through(result: ExecutionResult) -> None:
    """The positive control: the statement ran without an error."""
    assert result.output is not None
    assert (result.output["refused"], result.output["error"]) == (False, None), result.output


async def test_tcp_refused_without_network(
    project: Project, make_executor: MakeExecutor, listener: Listener
) -> None:
    statement = f'socket.create_connection(("127.0.0.1", {listener.port}), timeout=5).recv(64)'
    result = await attempt(project, make_executor, statement, network=False)
    assert result.output is not None
    assert result.output["refused"] is True, result.output
    assert listener.connections == 0
    assert "network" in result.sandbox.enforced
    # The positive control: the same statement with the network on reaches the listener.
    assert_got_through(await attempt(project, make_executor, statement, network=True))
    assert listener.connections == 1


async def test_the_network_stays_denied_with_the_filter_policy_off(
    project: Project, make_executor: MakeExecutor, listener: Listener
) -> None:
    """`syscalls = false` turns the filter's policy off, not the network's denial: the filter
    still refuses every socket (TCP is refused by Landlock too, where it can; UDP by the
    filter alone)."""
    tcp = f'socket.create_connection(("127.0.0.1", {listener.port}), timeout=5).recv(64)'
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver:
        receiver.bind(("127.0.0.1", 0))
        port = receiver.getsockname()[1]
        udp = (
            f'socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", {port}))'
        )
        for statement in (tcp, udp):
            result = await attempt(project, make_executor, statement, network=False, syscalls=False)
            assert result.output is not None
            assert result.output["refused"] is True, (statement, result.output)
            # The positive control: the same policy with the network on gets through.
            allowed = await attempt(project, make_executor, statement, network=True, syscalls=False)
            assert_got_through(allowed)
        receiver.settimeout(5)
        assert receiver.recv(16) == b"x"
    assert listener.connections == 1


async def test_tcp_allowed_with_network(
    project: Project, make_executor: MakeExecutor, listener: Listener
) -> None:
    project.write(
        "scripts/fetch.py",
        f"""
        import json, socket
        with socket.create_connection(("127.0.0.1", {listener.port}), timeout=5) as conn:
            reply = conn.recv(64).decode()
        print(json.dumps({{"success": True, "reply": reply}}))
        """,
    )
    executor = make_executor(project.root, sandbox=SandboxPolicy(network=True))
    result = await executor.execute_script("scripts/fetch.py")
    assert result.success, (result.error, result.stderr)
    assert result.output == {"success": True, "reply": "hello from the listener"}
    assert listener.connections == 1


async def test_udp_refused_without_network(project: Project, make_executor: MakeExecutor) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver:
        receiver.bind(("127.0.0.1", 0))
        receiver.setblocking(False)
        port = receiver.getsockname()[1]
        statement = (
            f'socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("127.0.0.1", {port}))'
        )
        result = await attempt(project, make_executor, statement, network=False)
        assert result.output is not None
        assert result.output["refused"] is True, result.output
        with pytest.raises(BlockingIOError):
            receiver.recv(16)
        # The positive control: with the network on, the datagram arrives.
        assert_got_through(await attempt(project, make_executor, statement, network=True))
        receiver.settimeout(5)
        assert receiver.recv(16) == b"x"


# Not a raw IP socket: no run keeps CAP_NET_RAW, so the kernel refuses one with the network
# on too, and its refusal would show nothing of the filter's (the hostile case
# raw_packet_netlink_sockets still tries them).
@pytest.mark.parametrize(
    "statement",
    [
        "socket.socket(socket.AF_INET6, socket.SOCK_STREAM)",
        "socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)",
    ],
    ids=["ipv6", "netlink"],
)
async def test_ipv6_and_raw_sockets_refused_without_network(
    project: Project, make_executor: MakeExecutor, statement: str
) -> None:
    result = await attempt(project, make_executor, statement, network=False)
    assert result.output is not None
    assert result.output["refused"] is True, (statement, result.output)
    # The positive control: with the network on, the same socket is made.
    assert_got_through(await attempt(project, make_executor, statement, network=True))


@pytest.mark.parametrize("network", [False, True])
async def test_unix_socket_refused_even_with_network(
    project: Project, make_executor: MakeExecutor, tmp_path: Path, network: bool
) -> None:
    # A pathname socket outside the project, like a daemon's control socket: Landlock
    # does not cover connecting to one, so seccomp refuses unix sockets altogether.
    path = tmp_path / "daemon.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(path))
        server.listen(1)
        server.setblocking(False)
        statement = f's = socket.socket(socket.AF_UNIX); s.connect("{path}")'
        result = await attempt(project, make_executor, statement, network=network)
        assert result.output is not None
        assert result.output["refused"] is True, result.output
        with pytest.raises(BlockingIOError):
            server.accept()
        # The positive control: with the filter off (network = false's too), the same
        # connection is made.
        unfiltered = await attempt(project, make_executor, statement, network=True, syscalls=False)
        assert_got_through(unfiltered)
        server.settimeout(5)
        server.accept()[0].close()


async def test_socketpair_and_asyncio_still_work_without_network(
    project: Project, make_executor: MakeExecutor
) -> None:
    project.write(
        "scripts/loop.py",
        """
        import asyncio, json, socket
        left, right = socket.socketpair()
        left.sendall(b"ping")
        pong = right.recv(4).decode()

        async def main():
            await asyncio.sleep(0.01)
            return "ran"

        print(json.dumps({"success": True, "pair": pong, "loop": asyncio.run(main())}))
        """,
    )
    executor = make_executor(project.root, sandbox=SandboxPolicy(network=False))
    result = await executor.execute_script("scripts/loop.py")
    assert result.success, (result.error, result.stderr)
    assert result.output == {"success": True, "pair": "ping", "loop": "ran"}


URLLIB = """
import json, urllib.request
try:
    with urllib.request.urlopen("{url}", timeout=5) as response:
        print(json.dumps({{"success": True, "body": json.load(response)}}))
except OSError as exc:
    print(json.dumps({{"success": True, "error": str(exc)}}))
"""


@pytest.mark.parametrize("network", [True, False])
async def test_urllib_to_localhost_follows_the_policy(
    project: Project, make_executor: MakeExecutor, http_base: str, network: bool
) -> None:
    project.write("scripts/api.py", URLLIB.format(url=f"{http_base}/hello"))
    executor = make_executor(project.root, sandbox=SandboxPolicy(network=network))
    result = await executor.execute_script("scripts/api.py")
    assert result.success, (result.error, result.stderr)
    if network:
        assert result.output == {"success": True, "body": {"path": "/hello", "items": 3}}
    else:
        assert result.output is not None
        assert "Operation not permitted" in result.output["error"]
