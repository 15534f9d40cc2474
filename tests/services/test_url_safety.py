"""Live fetches go to public http(s) addresses only, redirects included (issue 12, point 10).

No test here touches the network: host names are resolved by a stub, or are IP literals and
`localhost`, which resolve without DNS; the only server is the suite's own on 127.0.0.1.
"""

from __future__ import annotations

import functools
import socket

import httpx
import pytest

from releases.models import LeaderboardSource, Snapshot
from releases.services.fetching import FetchError, fetch_url
from releases.services.refresh import source_refresh
from releases.services.url_safety import (
    HostNotResolvedError,
    UnsafeURLError,
    check_fetchable,
    check_live_url,
    is_public_address,
)
from tests.http_server import LeaderboardServer, Reply

fast_fetch = functools.partial(
    fetch_url, timeout=httpx.Timeout(1.0), backoff_seconds=0.0, sleep=lambda seconds: None
)


def resolves_to(*addresses: str):  # type: ignore[no-untyped-def]
    return lambda host, port: list(addresses)


PUBLIC = resolves_to("140.82.112.3")


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/leaderboard.json",
        "file:///etc/passwd",
        "gopher://example.org:70/",
        "javascript:alert(1)",
        "//example.org/no-scheme",
        "https:///no-host",
    ],
)
def test_only_http_and_https_urls_with_a_host_are_fetched(url: str) -> None:
    with pytest.raises(UnsafeURLError):
        check_fetchable(url, allowed_hosts=(), resolve=PUBLIC)


def test_a_public_https_url_passes() -> None:
    check_fetchable("https://raw.githubusercontent.com/x/y.yml", allowed_hosts=(), resolve=PUBLIC)
    check_fetchable("http://140.82.112.3:8080/board.json", allowed_hosts=())


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:6379/",
        "http://localhost:8000/admin/",
        "http://2130706433/",  # 127.0.0.1 written as one number
        "http://0x7f.1/",
        "http://169.254.169.254/latest/meta-data/",  # the cloud metadata service
        "http://10.0.0.5/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",  # carrier-grade NAT
        "http://0.0.0.0/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[fe80::1]/",
        "http://[fd00::1]/",
        "http://224.0.0.1/",
    ],
)
def test_internal_addresses_are_refused(url: str) -> None:
    with pytest.raises(UnsafeURLError, match="not a public address"):
        check_fetchable(url, allowed_hosts=())


def test_a_name_that_resolves_to_any_internal_address_is_refused() -> None:
    with pytest.raises(UnsafeURLError, match=r"10\.1\.2\.3"):
        check_fetchable(
            "https://leaderboard.example/x.json",
            allowed_hosts=(),
            resolve=resolves_to("140.82.112.3", "10.1.2.3"),
        )


def test_an_allowed_host_is_fetched_wherever_it_points() -> None:
    check_fetchable("http://127.0.0.1:8000/x", allowed_hosts={"127.0.0.1"})
    check_fetchable(
        "https://mirror.internal/x",
        allowed_hosts={"mirror.internal"},
        resolve=resolves_to("10.0.0.9"),
    )
    # The allow-list names hosts, not the addresses they happen to resolve to.
    with pytest.raises(UnsafeURLError):
        check_fetchable("http://localhost:8000/x", allowed_hosts={"127.0.0.1"})


def test_an_unresolvable_host_is_not_fetched_but_may_be_saved_in_a_form() -> None:
    def nowhere(host: str, port: int) -> list[str]:
        raise HostNotResolvedError(f"cannot resolve {host}")

    with pytest.raises(HostNotResolvedError):
        check_fetchable("https://not-yet-live.example/x", allowed_hosts=(), resolve=nowhere)
    check_live_url("https://not-yet-live.example/x", allowed_hosts=(), resolve=nowhere)
    with pytest.raises(UnsafeURLError):
        check_live_url("ftp://not-yet-live.example/x", allowed_hosts=(), resolve=nowhere)


@pytest.mark.parametrize(
    ("address", "public"),
    [("8.8.8.8", True), ("2606:4700::1111", True), ("127.0.0.2", False), ("fe80::1%eth0", False)],
)
def test_is_public_address(address: str, public: bool) -> None:
    assert is_public_address(address) is public


# --- Through the fetcher ---------------------------------------------------------------------


def test_the_fetcher_refuses_a_loopback_host_that_is_not_allowed(
    leaderboard_server: LeaderboardServer, settings
) -> None:  # type: ignore[no-untyped-def]
    url = leaderboard_server.serve("/board.json", Reply(body=b"{}"))
    settings.CLAIMSDB_FETCH_ALLOWED_HOSTS = []

    with pytest.raises(FetchError, match="not a public address") as raised:
        fast_fetch(url)

    assert raised.value.permanent is True
    assert leaderboard_server.requests == []  # refused before connecting


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://localhost:{port}/secret",
        "ftp://127.0.0.1/secret",
    ],
)
def test_every_redirect_hop_is_checked(leaderboard_server: LeaderboardServer, target: str) -> None:
    # The first hop is allowed (the fixture allows 127.0.0.1); the hop it redirects to is not.
    port = leaderboard_server.httpd.server_address[1]
    url = leaderboard_server.serve(
        "/board.json", Reply(status=302, headers={"Location": target.format(port=port)})
    )
    leaderboard_server.serve("/secret", Reply(body=b"internal"))

    with pytest.raises(FetchError) as raised:
        fast_fetch(url)

    assert raised.value.permanent is True
    assert [path for path, _ in leaderboard_server.requests] == ["/board.json"]


def test_an_allowed_redirect_is_followed(leaderboard_server: LeaderboardServer) -> None:
    target = leaderboard_server.serve("/moved.json", Reply(body=b'{"rows": []}'))
    url = leaderboard_server.serve("/board.json", Reply(status=301, headers={"Location": target}))

    assert fast_fetch(url).body == b'{"rows": []}'


def test_a_refused_live_url_ends_as_a_failed_snapshot(db, settings) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import SourceFactory

    source = SourceFactory(slug="aider-polyglot", live_url="http://169.254.169.254/latest/")
    settings.CLAIMSDB_FETCH_ALLOWED_HOSTS = []

    with pytest.raises(FetchError):
        source_refresh(source_id=source.pk, fetch=fast_fetch)

    failed = Snapshot.objects.get(source=source)
    assert failed.status == Snapshot.Status.FAILED and failed.raw is None
    assert "not a public address" in failed.error
    assert "not a public address" in LeaderboardSource.objects.get(pk=source.pk).last_error


# --- DNS rebinding: the connection goes to the address that was checked ------------------------


def test_a_rebinding_answer_cannot_move_the_connection(
    leaderboard_server: LeaderboardServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The name answers a public address when it is checked and 127.0.0.1 when it is looked up
    again. Checking and then letting httpx resolve the name for itself connected to the second
    answer, the suite's local server; the connection must go to the checked address instead."""
    port = leaderboard_server.httpd.server_address[1]
    leaderboard_server.serve("/secret", Reply(body=b"internal"))
    real_getaddrinfo = socket.getaddrinfo
    lookups: list[str] = []

    def rebinding(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host != "rebind.example":
            return real_getaddrinfo(host, *args, **kwargs)  # IP literals, as create_connection asks
        lookups.append(host)
        answer = "140.82.112.3" if len(lookups) == 1 else "127.0.0.1"  # public, then loopback
        return real_getaddrinfo(answer, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)

    with pytest.raises(FetchError, match="not a public address") as raised:
        fast_fetch(f"http://rebind.example:{port}/secret", attempts=1, timeout=httpx.Timeout(0.5))

    assert raised.value.permanent is True
    assert leaderboard_server.requests == []  # the loopback answer was never connected to
    # The request hook's early check saw the public answer; the connection looked the name up
    # once more, checked that answer and refused it, and connected to nothing.
    assert len(lookups) == 2


def test_the_connection_uses_the_checked_lookup_not_a_second_one(
    leaderboard_server: LeaderboardServer, settings, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """A name only the project's resolver knows reaches the server: httpx connected to the
    address that lookup returned, without resolving the name itself."""
    url = leaderboard_server.serve("/board.json", Reply(body=b'{"rows": []}'))
    port = leaderboard_server.httpd.server_address[1]
    settings.CLAIMSDB_FETCH_ALLOWED_HOSTS = ["mirror.internal"]
    monkeypatch.setattr(
        "releases.services.url_safety.resolve_host", lambda host, port: ["127.0.0.1"]
    )
    result = fast_fetch(url.replace(f"127.0.0.1:{port}", f"mirror.internal:{port}"))

    assert result.body == b'{"rows": []}'
    assert [path for path, _ in leaderboard_server.requests] == ["/board.json"]
