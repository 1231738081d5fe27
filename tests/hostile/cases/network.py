"""Network with it denied, and unix sockets with it allowed."""

from __future__ import annotations

from tests.hostile.cases.model import REFUSED, Expect, HostileCase

CASES: tuple[HostileCase, ...] = (
    # Network, with the network denied
    HostileCase(
        "tcp_without_network",
        "connects to a TCP listener on 127.0.0.1, binds, and tries IPv6, with network = false",
        """
        attempt("connect 127.0.0.1", lambda: socket.create_connection(
            ("127.0.0.1", INPUTS["tcp"]), timeout=1))
        attempt("bind", lambda: socket.socket().bind(("127.0.0.1", 0)))
        attempt("IPv6 socket", lambda: socket.socket(socket.AF_INET6, socket.SOCK_STREAM))
        report()
        """,
        Expect(attempts_at_least=3),
        policy={"network": False},
        needs=("seccomp",),
        arena=("listeners",),
    ),
    HostileCase(
        "udp_without_network",
        "sends a datagram to a UDP listener on 127.0.0.1, with network = false",
        """
        def send():
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            sock.sendto(b"hello", ("127.0.0.1", INPUTS["udp"]))
        attempt("sendto 127.0.0.1", send)
        attempt("IPv6 datagram socket", lambda: socket.socket(
            socket.AF_INET6, socket.SOCK_DGRAM))
        report()
        """,
        Expect(attempts_at_least=2),
        policy={"network": False},
        needs=("seccomp",),
        arena=("listeners",),
    ),
    HostileCase(
        "raw_packet_netlink_sockets",
        "opens raw IP, packet and netlink sockets, with network = false",
        """
        attempt("raw ICMP", lambda: socket.socket(
            socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP))
        attempt("raw IP", lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, 255))
        attempt("packet", lambda: socket.socket(socket.AF_PACKET, socket.SOCK_RAW))
        attempt("netlink route", lambda: socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0))
        report()
        """,
        Expect(attempts_at_least=4),
        policy={"network": False},
        needs=("seccomp",),
    ),
    HostileCase(
        "dns_without_network",
        "resolves names (localhost only: nothing may leave this machine), with network = false",
        """
        attempt("getaddrinfo", lambda: socket.getaddrinfo("localhost", 80))
        attempt("gethostbyname", lambda: socket.gethostbyname("localhost"))
        report()
        """,
        Expect(attempts_at_least=2, refused_with=REFUSED | {"gaierror", "herror"}),
        policy={"network": False},
        needs=("seccomp",),
    ),
    HostileCase(
        "io_uring",
        "sets up io_uring, whose operations would bypass the socket and file checks",
        """
        params = ctypes.create_string_buffer(120)
        attempt("io_uring_setup", lambda: syscall("io_uring_setup", 4, params))
        report()
        """,
        Expect(attempts_at_least=1),
        policy={"network": False},
        needs=("seccomp",),
    ),
    HostileCase(
        "unix_sockets_even_with_network",
        "connects to a daemon's unix socket and to an abstract one, with the network allowed; "
        "socketpair() still works",
        """
        def connect(address, kind=socket.SOCK_STREAM):
            socket.socket(socket.AF_UNIX, kind).connect(address)
        attempt("pathname socket", lambda: connect(INPUTS["unix_socket"]))
        attempt("abstract socket", lambda: connect("\\0" + INPUTS["abstract"]))
        attempt("datagram socket", lambda: socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM))
        attempt("socketpair", socket.socketpair)
        report()
        """,
        Expect(attempts_at_least=4, allowed=("socketpair",)),
        needs=("seccomp",),
        arena=("listeners",),
    ),
    HostileCase(
        "abstract_socket_scope",
        "with seccomp off in the policy, connects to an abstract unix socket outside the run: "
        "Landlock's scope still refuses",
        """
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        attempt("abstract socket", lambda: sock.connect("\\0" + INPUTS["abstract"]))
        report()
        """,
        Expect(attempts_at_least=1),
        policy={"syscalls": False},
        needs=("landlock:6",),
        control={"enabled": False},  # Landlock's scope has no switch of its own
        arena=("listeners",),
    ),
)
