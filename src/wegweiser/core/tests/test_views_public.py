import pytest

pytestmark = pytest.mark.django_db


def test_root_redirects_to_german(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/de/"


def test_home_german_has_life_areas_and_towns(client, district):
    content = client.get("/de/").content.decode()
    assert '<html lang="de" dir="ltr">' in content
    assert "Sprache" in content
    assert "Haltern am See" in content


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_home_right_to_left_languages(client, district, language):
    content = client.get(f"/{language}/").content.decode()
    assert f'<html lang="{language}" dir="rtl">' in content


def test_home_arabic_shows_translated_life_areas(client, district):
    assert "السكن" in client.get("/ar/").content.decode()


def test_home_has_hreflang_for_all_languages(client, district):
    content = client.get("/de/").content.decode()
    for code in ["de", "en", "ar", "uk", "ru", "tr", "fa"]:
        assert f'hreflang="{code}"' in content
    assert 'hreflang="x-default"' in content


def test_home_has_skip_link_and_landmarks(client, district):
    content = client.get("/de/").content.decode()
    assert 'class="skip-link" href="#main"' in content
    assert '<main id="main"' in content
    assert "<nav" in content and "<header" in content and "<footer" in content


def test_security_headers_with_csp_nonce(client, district):
    response = client.get("/de/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "default-src 'self'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/de/", "/api/v1/search?q=Kurs", "/accounts/login/"])
def test_permissions_policy_allows_only_the_position_for_the_search(client, district, path):
    """The offer search may ask for the browser's position (offers/position.js); no page may
    use the camera, the microphone, payment or other device features, nor embedded frames."""
    policy = client.get(path).headers["Permissions-Policy"]
    directives = dict(item.strip().split("=", 1) for item in policy.split(","))
    assert directives["geolocation"] == "(self)"
    for feature in ("camera", "microphone", "payment", "usb", "display-capture"):
        assert directives[feature] == "()"


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/de/gibt-es-nicht/")
    assert response.status_code == 404
    assert "<main" in response.content.decode()


def test_ui_strings_are_translated(client, district):
    assert "Zum Inhalt springen" in client.get("/de/").content.decode()
    assert "Skip to content" in client.get("/en/").content.decode()
