"""The client's address, for rate limits, throttles and the login lockout.

Behind the reverse proxy every request comes from the proxy: the client's own address is in the
header it sets (nginx: `proxy_set_header X-Real-IP $remote_addr;`), named by the setting
CLIENT_IP_HEADER. A missing or malformed header falls back to the connection's address rather
than failing the request.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header:
        candidate = request.META.get(header, "").split(",")[0].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"
