from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Installed for its commands, seed_demo and seed_bench; it has no models."""

    name = "demo"
