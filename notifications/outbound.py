"""Group robots and webhooks reach public addresses only.

A robot's or a webhook's address is checked when it is saved and again, after its host name is
resolved, each time a message is sent: loopback, private, link-local, shared (carrier-grade NAT),
multicast, reserved and unspecified destinations are refused, in IPv4 and IPv6, with IPv4-mapped,
NAT64 and tunnelled forms looked through, unless the address falls in OUTBOUND_ALLOWED_NETWORKS
(from the environment: the city's own systems on its intranet). Every address the name resolves
to must pass, and the connection goes to the very address that was checked, while the request
keeps the host name for its Host header, TLS SNI and the certificate check; so a name that
answers differently a moment later (DNS rebinding) gains nothing. Redirects are never followed,
proxies from the environment are not used, and at most MAX_ANSWER bytes of an answer are read.

Connecting to the checked address follows requests-hardened (github.com/saleor/requests-hardened),
whose filter has no allow-list of networks and so could not be used as it is.

What a failed delivery keeps (`Delivery.last_error`) is `failure_reason`: the status, or a short
reason of ours; never the far side's answer, whose body may echo anything.
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.parse
from functools import lru_cache

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from requests.adapters import HTTPAdapter

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.ip_network("64:ff9b::/96")
MAX_ANSWER = 64 * 1024
DEFAULT_PORTS = {"http": 80, "https": 443}

KINDS = {
    "unspecified": gettext_lazy("an unspecified address"),
    "loopback": gettext_lazy("a loopback address of this machine"),
    "link_local": gettext_lazy("a link-local address"),
    "multicast": gettext_lazy("a multicast address"),
    "private": gettext_lazy("a private network address"),
    "reserved": gettext_lazy("a reserved address"),
    "tunnel": gettext_lazy("a tunnelled IPv6 address"),
    "not_public": gettext_lazy("an address that is not public"),
}


class DeliveryError(Exception):
    """A failure with a reason fit to keep and show: ours, short, with nothing of the answer."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RefusedDestination(DeliveryError):
    pass


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def _allowed(address: Address) -> bool:
    networks = _networks(tuple(getattr(settings, "OUTBOUND_ALLOWED_NETWORKS", ())))
    return any(address.version == net.version and address in net for net in networks)


def _embedded(address: Address) -> Address:
    """The IPv4 address an IPv4-mapped or NAT64 IPv6 address stands for (else the address)."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address in NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def refusal(address: Address) -> str | None:
    """Why a message may not go to `address` (a key of KINDS), or None when it may."""
    if _allowed(address):
        return None
    inner = _embedded(address)
    if inner is not address and _allowed(inner):
        return None
    if isinstance(inner, ipaddress.IPv6Address):
        if inner.sixtofour or inner.teredo:
            return "tunnel"
        if inner.is_site_local:  # the old fec0::/10, which Python counts as global
            return "private"
    for kind in ("unspecified", "loopback", "link_local", "multicast", "reserved", "private"):
        if getattr(inner, f"is_{kind}"):
            return kind
    return None if inner.is_global else "not_public"


def resolve(host: str, port: int) -> list[Address]:
    """Every address `host` resolves to (a literal address resolves to itself)."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = []
    for _family, _type, _proto, _name, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def _target(url: str) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise RefusedDestination(_("Only http and https addresses can receive messages."))
    return parts.hostname, parts.port or DEFAULT_PORTS[parts.scheme]


def _refused(host: str, address: Address, kind: str) -> str:
    values = {"host": host, "kind": KINDS[kind], "address": address}
    if host.strip("[]") == str(address):
        return (
            _(
                "%(address)s is %(kind)s: messages go to public addresses only, unless the system "
                "administrator allows that address."
            )
            % values
        )
    return (
        _(
            "%(host)s resolves to %(address)s, %(kind)s: messages go to public addresses only, "
            "unless the system administrator allows that address."
        )
        % values
    )


def checked_address(host: str, port: int) -> Address:
    """The address to connect to: `host` resolved now, every answer checked."""
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as error:
        raise DeliveryError(_("The host name %(host)s was not found.") % {"host": host}) from error
    for address in addresses:
        kind = refusal(address)
        if kind is not None:
            raise RefusedDestination(_refused(host, address, kind))
    return addresses[0]


def validate_outbound_url(url: str) -> None:
    """Refuses, when a robot or a webhook is saved, an address that leads inside. A host name
    that cannot be resolved now is let through: it is checked again at every send."""
    try:
        host, port = _target(url)
    except RefusedDestination as error:
        raise ValidationError(error.reason, code="scheme") from error
    except ValueError:
        return  # not a URL at all: URLValidator says so
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError, ValueError):
        return
    for address in addresses:
        kind = refusal(address)
        if kind is not None:
            raise ValidationError(_refused(host, address, kind), code="destination")


class PinnedAdapter(HTTPAdapter):
    """Connects to the address `checked_address` approved, never to a second resolution."""

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(
            request, verify, cert
        )
        host, port = host_params["host"], host_params["port"]
        scheme = host_params["scheme"]
        address = checked_address(host, port or DEFAULT_PORTS.get(scheme, 80))
        host_header = f"[{host}]" if ":" in host else host
        request.headers["Host"] = f"{host_header}:{port}" if port else host_header
        if scheme == "https":
            pool_kwargs["assert_hostname"] = host  # the certificate names the host, not the address
            pool_kwargs["server_hostname"] = host  # SNI
        host_params["host"] = f"[{address}]" if address.version == 6 else str(address)
        return host_params, pool_kwargs


def post(url: str, *, body: bytes, headers: dict, timeout: float) -> tuple[int, bytes]:
    """POST `body` to `url` (its destination checked); answers the status and at most
    MAX_ANSWER bytes of the answer's body."""
    _target(url)
    with requests.Session() as session:
        session.trust_env = False  # a proxy from the environment would resolve the name again
        session.mount("http://", PinnedAdapter())
        session.mount("https://", PinnedAdapter())
        with session.post(
            url, data=body, headers=headers, timeout=timeout, allow_redirects=False, stream=True
        ) as response:
            answer = response.raw.read(MAX_ANSWER, decode_content=True) or b""
            return response.status_code, answer


def failure_reason(error: Exception) -> str:
    """What a failed delivery keeps: our reason, the status, or the kind of failure."""
    if isinstance(error, DeliveryError):
        reason = error.reason
    elif isinstance(error, requests.Timeout):
        reason = _("No answer in time.")
    elif isinstance(error, requests.ConnectionError):
        reason = _("Could not connect.")
    elif hasattr(error, "smtp_code"):
        reason = _("The mail server answered %(code)s.") % {"code": error.smtp_code}
    else:
        reason = type(error).__name__
    return "".join(ch for ch in reason if ch.isprintable())[:300]
