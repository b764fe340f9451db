"""RFC 9457 problem details: every API error is JSON with a clear reason, never a 500 page."""

from django.http import JsonResponse


def problem(*, status: int, title: str, detail: str = "") -> JsonResponse:
    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    return JsonResponse(
        body,
        status=status,
        content_type="application/problem+json",
        json_dumps_params={"ensure_ascii": False},
    )
