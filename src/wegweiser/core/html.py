"""Small HTML helpers shared by the apps."""

import json
from typing import Any

from django.utils.safestring import SafeString, mark_safe

# The characters that could end a <script> element or start an HTML comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_for_script(data: Any) -> SafeString:
    """JSON that is safe inside a <script> data block (JSON-LD, map data)."""
    # The escapes above make the JSON inert inside <script>; nothing else is marked safe.
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES))  # noqa: S308
