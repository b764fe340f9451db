"""The permission framework: every view declares who may call it.

A view is either public (`@public_view`, `PublicViewMixin`) or names a `rules` permission
(`@permission_required("...")`, `PermissionRequiredMixin`). Anonymous users are sent to the login
page; signed-in users without the permission get 404, exactly like an object outside their
scope, and the refusal is audited. `wegweiser.core.tests.test_url_permissions` walks every URL
pattern and fails for a view that declares nothing.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.views import View

PUBLIC = "__public__"

# Views of Django and third-party packages that are public by design. Anything else without a
# declaration fails the URL walk test.
PUBLIC_THIRD_PARTY_VIEWS = {
    "django.views.static.serve",
    "django.contrib.sitemaps.views.sitemap",
    "django.contrib.sitemaps.views.index",
    "django.views.i18n.JavaScriptCatalog",
}


def declared_permission(callback: Callable[..., Any]) -> str | None:
    """The permission a URL callback declares, PUBLIC, or None when it declares nothing."""
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return getattr(view_class, "permission", None)
    permission = getattr(callback, "wegweiser_permission", None)
    if permission:
        return permission
    dotted = f"{callback.__module__}.{getattr(callback, '__name__', '')}"
    if dotted in PUBLIC_THIRD_PARTY_VIEWS:
        return PUBLIC
    return None


def check_permission(request: HttpRequest, permission: str, obj: Any = None) -> HttpResponse | None:
    """Return a response that refuses the request, or None when the user may go on."""
    if permission == PUBLIC:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.has_perm(permission, obj):
        return None
    # Imported here: privacy depends on core, not the other way round at import time.
    from wegweiser.privacy.services import audit_access_denied

    audit_access_denied(
        request=request,
        permission=permission,
        object_type="view",
        object_id=request.resolver_match.view_name if request.resolver_match else "",
    )
    raise Http404


def public_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a function view as open to everybody, signed in or not."""
    view.wegweiser_permission = PUBLIC  # type: ignore[attr-defined]
    return view


def permission_required(
    permission: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Require a `rules` permission for a function view (404 for signed-in users without it)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            refusal = check_permission(request, permission)
            return refusal or view(request, *args, **kwargs)

        wrapped.wegweiser_permission = permission  # type: ignore[attr-defined]
        return wrapped

    return decorator


class PermissionRequiredMixin(View):
    """Class-based views name their `permission`; an empty one fails at the first request."""

    permission: str = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not self.permission:
            raise NotImplementedError(f"{type(self).__name__} declares no permission")
        refusal = check_permission(request, self.permission)
        return refusal or super().dispatch(request, *args, **kwargs)


class PublicViewMixin(PermissionRequiredMixin):
    permission = PUBLIC


def iter_url_patterns(patterns=None, prefix: str = "", namespace: str = ""):
    """Yield (route, qualified name, callback) for every URL pattern, through all includes."""
    from django.urls import URLPattern, URLResolver, get_resolver

    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            qualified = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from iter_url_patterns(entry.url_patterns, prefix + str(entry.pattern), qualified)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield prefix + str(entry.pattern), name, entry.callback


def undeclared_views(patterns=None) -> list[str]:
    """Routes whose view declares no permission and is not an allow-listed public view."""
    return [
        f"{route} ({callback.__module__}.{getattr(callback, '__name__', callback)})"
        for route, _name, callback in iter_url_patterns(patterns)
        if declared_permission(callback) is None
    ]
