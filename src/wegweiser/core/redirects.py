"""Where a form may send the browser afterwards: only to a path of this site."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` parameter (POST, then GET) when it points into this site, else `default`.

    `next` comes from the browser: taken as it is, a crafted link or form would send a signed-in
    user on to another site that looks like ours (open redirect).
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
