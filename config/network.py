"""The client's address, for rate limits, throttles and the login lockout.

Behind the reverse proxy every request comes from the proxy: the client's own address is in the
header it sets (nginx: `proxy_set_header X-Real-IP $remote_addr;`), named by the setting
CLIENT_IP_HEADER. That header is believed only when the connection itself comes from one of
TRUSTED_PROXIES (addresses or networks; loopback by default): a client reaching the application
server directly could write anything in it, so its own connection address is what counts.

django-ipware reads the header (ports, brackets, IPv6 and IPv4-mapped forms, garbage); it is
asked for the right-most entry, the one the trusted proxy wrote (an `X-Forwarded-For` the proxy
appends to keeps whatever the client put on its left). ipware's own trusted-proxy option checks
the hops listed inside the header, not the connection, so the connection is checked here first.
A missing or malformed header falls back to the connection's address rather than failing.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def _address(value: str | None) -> Address | None:
    try:
        address = ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # a dual-stack socket's view of an IPv4 peer
    return address


def is_trusted_proxy(address: Address) -> bool:
    networks = trusted_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    return any(address.version == net.version and address in net for net in networks)


def client_ip(request: HttpRequest) -> str:
    peer = _address(request.META.get("REMOTE_ADDR"))
    if peer is None:
        return "0.0.0.0"
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header and is_trusted_proxy(peer):
        forwarded, _routable = get_client_ip(
            request, proxy_count=0, request_header_order=[header], strict=False
        )
        if forwarded:
            return forwarded
    return str(peer)
