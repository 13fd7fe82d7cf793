"""The client's address behind a known number of reverse proxies (for django-axes).

Each proxy appends the address it received the request from to X-Forwarded-For, so only the
right-hand end of the header can be trusted: with TRUSTED_PROXY_COUNT = N, the client is the
N-th address from the right of "X-Forwarded-For entries + REMOTE_ADDR" counted after the
proxies themselves. Anything further left was written by the client and may be forged.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The address that connected to the first of our trusted proxies (REMOTE_ADDR when
    TRUSTED_PROXY_COUNT is 0, or when the request did not come through the proxies)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [part.strip() for part in forwarded.split(",") if part.strip()] + [remote]
    # Fewer hops than proxies: the request reached us some other way; its own address counts.
    candidate = chain[-(count + 1)] if len(chain) > count else chain[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
