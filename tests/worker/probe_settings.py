"""The settings of the worker processes the consumer tests start: the suite's, with a real
queue (not immediate mode) and the probe app, whose task the tests kill mid-way."""

from tests.settings import *  # noqa: F403

HUEY = {**HUEY, "immediate": False}  # noqa: F405
INSTALLED_APPS = [*INSTALLED_APPS, "tests.worker.probe"]  # noqa: F405
