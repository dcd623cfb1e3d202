from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmarks run by ``newsbrief bench``: corpus generation, loads and measurements."""

    name = "newsbrief.bench"
    label = "bench"
