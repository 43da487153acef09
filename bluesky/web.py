"""Sending the user back where a form or a link came from, never to another site."""

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_back(request, target: str, fallback, *args):
    """Redirect to ``target`` if it is a URL of this site (https kept), else to ``fallback`` (a URL or name)."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback, *args)
