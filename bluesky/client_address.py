"""The address a request came from, proxy-aware only where a proxy is trusted.

``X-Forwarded-For`` is written by whoever sends the request, so it is read only
when the peer (``REMOTE_ADDR``) is one of ``BLUESKY_TRUSTED_PROXIES`` (CIDRs from
the environment, e.g. the load balancer's). Then the header is walked from the
right — the hops appended by our own proxies — and the first address that is not
one of them is the client. A client cannot forge that entry: anything it wrote
itself stands to the left of what our proxy appended.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]):
    return tuple(ipaddress.ip_network(cidr.strip(), strict=False) for cidr in cidrs if cidr.strip())


def _parse(address: str):
    try:
        return ipaddress.ip_address(address.strip())
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    parsed = _parse(address)
    networks = _networks(tuple(getattr(settings, "BLUESKY_TRUSTED_PROXIES", ())))
    return parsed is not None and any(parsed in network for network in networks)


def client_address(request) -> str:
    """The client's address: the peer, or the right-most untrusted hop when the peer is a trusted proxy."""
    if request is None:
        return ""
    peer = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not forwarded or not is_trusted_proxy(peer):
        return peer
    hop = peer
    for entry in reversed(forwarded.split(",")):
        parsed = _parse(entry)
        if parsed is None:  # garbage where an address should be: the last hop we can vouch for
            return hop
        hop = str(parsed)
        if not is_trusted_proxy(hop):
            return hop
    return hop  # every hop is one of ours (an internal client)
