from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Synthetic demo data. Sits on top of every domain app, like the URL wiring."""

    name = "wegweiser.demo"
    label = "demo"
