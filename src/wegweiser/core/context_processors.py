from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_bidi, get_language_info


def site(request):
    """Site name, text direction and the language-switcher links for every template."""
    current = get_language() or settings.LANGUAGE_CODE
    alternates = []
    if getattr(request, "resolver_match", None) and request.path.startswith(f"/{current}/"):
        for code, name in settings.LANGUAGES:
            alternates.append(
                {
                    "code": code,
                    "name": name,
                    "name_local": get_language_info(code)["name_local"],
                    "url": translate_url(request.get_full_path(), code),
                    "current": code == current,
                }
            )
    return {
        "site_name": settings.WEGWEISER_SITE_NAME,
        "text_direction": "rtl" if get_language_bidi() else "ltr",
        "language_alternates": alternates,
    }
