"""Which URLs the server may fetch: http(s) to public addresses only (no SSRF).

A source's live URL is typed by a person and every redirect is chosen by a remote server. Left
unchecked, a fetch could be pointed at the machine's own services (`http://127.0.0.1:6379`), the
cloud metadata endpoint (`http://169.254.169.254/`) or the private network, and whatever came
back would be archived for analysts to download. So before every request, the first and each
redirect hop, the host name is resolved and every address it resolves to must be public.

Hosts named in the setting `CLAIMSDB_FETCH_ALLOWED_HOSTS` (host names or IP literals, compared
exactly, case-insensitively) skip the address check: for a leaderboard mirrored on the private
network, and for the test suite's local server on 127.0.0.1.

The address is checked where the connection is opened (`PinnedAddressBackend`, the network
backend of every fetch): the host is resolved once, every address checked, and the socket
connected to a checked address. Nothing resolves the name again, so a DNS answer that changes
between a check and a connect (rebinding: public for the check, 127.0.0.1 for the connect)
cannot move the connection. TLS still verifies the certificate against the host name.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Collection, Iterable
from urllib.parse import urlsplit

import httpcore

ALLOWED_SCHEMES = ("http", "https")

Resolver = Callable[[str, int], Iterable[str]]


class UnsafeURLError(ValueError):
    """A URL the server refuses to fetch. Permanent: trying again gives the same answer."""


class HostNotResolvedError(OSError):
    """The host name did not resolve. Possibly transient (DNS down)."""


def resolve_host(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (IPv4 and IPv6)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise HostNotResolvedError(f"cannot resolve {host}: {exc}") from None
    return sorted({str(info[4][0]) for info in infos})


def is_public_address(address: str) -> bool:
    """True for an address on the public internet: not loopback, private, link-local (the
    cloud metadata service), carrier-grade NAT, multicast, reserved or unspecified."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        # ::ffff:127.0.0.1 reaches 127.0.0.1; Python 3.11 does not look through the mapping.
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def allowed_hosts_setting() -> frozenset[str]:
    from django.conf import settings

    return frozenset(host.lower() for host in settings.CLAIMSDB_FETCH_ALLOWED_HOSTS)


def check_scheme(url: str) -> tuple[str, str, int]:
    """The URL's scheme, host and port, once it is an http(s) URL with a host."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeURLError(f"{url!r} is not a valid URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise UnsafeURLError(
            f"{url!r}: only http and https URLs are fetched, not {scheme or 'no scheme'}"
        )
    host = (parts.hostname or "").lower()
    if not host:
        raise UnsafeURLError(f"{url!r} names no host")
    return scheme, host, port or (443 if scheme == "https" else 80)


def check_fetchable(
    url: str,
    *,
    allowed_hosts: Collection[str] | None = None,
    resolve: Resolver = resolve_host,
) -> None:
    """Raise UnsafeURLError unless `url` is http(s) and its host resolves to public addresses
    only (or is allowed by name); HostNotResolvedError if it does not resolve."""
    _, host, port = check_scheme(url)
    allowed = allowed_hosts_setting() if allowed_hosts is None else allowed_hosts
    if host in allowed:
        return
    checked_addresses(host, port, allowed_hosts=allowed, resolve=resolve, url=url)


def checked_addresses(
    host: str,
    port: int,
    *,
    allowed_hosts: Collection[str] | None = None,
    resolve: Resolver = resolve_host,
    url: str = "",
) -> list[str]:
    """The addresses `host` resolves to, once every one of them is public (any, for a host
    allowed by name). Raises UnsafeURLError or HostNotResolvedError."""
    allowed = allowed_hosts_setting() if allowed_hosts is None else allowed_hosts
    addresses = list(resolve(host, port))
    if not addresses:
        raise HostNotResolvedError(f"{host} resolves to no address")
    if host.lower() in allowed:
        return addresses
    internal = [address for address in addresses if not is_public_address(address)]
    if internal:
        raise UnsafeURLError(
            f"{url or host!r}: {host} resolves to {', '.join(internal)}, which is not a public "
            "address; only public hosts are fetched (CLAIMSDB_FETCH_ALLOWED_HOSTS lists exceptions)"
        )
    return addresses


def _lookup(host: str, port: int) -> list[str]:
    return resolve_host(host, port)


class PinnedAddressBackend(httpcore.SyncBackend):
    """httpcore's socket backend, connecting only to addresses checked in the same lookup.

    httpcore hands `connect_tcp` the host name of each new connection (the first request and
    every redirect hop); TLS is started on the stream afterwards with that name as the server
    name, so certificates are verified as usual.
    """

    def __init__(
        self, *, allowed_hosts: Collection[str] | None = None, resolve: Resolver | None = None
    ) -> None:
        self._allowed_hosts = allowed_hosts  # None: the setting, read at each connection
        self._resolve = resolve  # None: resolve_host, looked up at each connection

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = checked_addresses(
            host.lower(), port, allowed_hosts=self._allowed_hosts, resolve=self._resolve or _lookup
        )
        failure: httpcore.ConnectError | httpcore.ConnectTimeout | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc  # try the next checked address, as create_connection would
        assert failure is not None
        raise failure


def check_live_url(
    url: str,
    *,
    allowed_hosts: Collection[str] | None = None,
    resolve: Resolver = resolve_host,
) -> None:
    """For a form: like check_fetchable, but a host that does not resolve now is accepted (the
    check runs again before every fetch)."""
    try:
        check_fetchable(url, allowed_hosts=allowed_hosts, resolve=resolve)
    except HostNotResolvedError:
        return
