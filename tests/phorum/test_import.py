"""Bringing a Phorum board across (with the in-memory board of ``fake``)."""

import pytest

from newsbrief.briefs.models import Brief
from newsbrief.phorum import importing
from newsbrief.phorum.converting import message_uid

from . import fake

pytestmark = pytest.mark.django_db


def brief(message_id: int) -> Brief:
    return Brief.objects.get(uid=message_uid(message_id))


def test_smoke():
    report = importing.run(fake.board(), progress=False)
    print("\n".join(report.lines()))
    for m in (10, 12, 20):
        b = brief(m)
        print(m, b.status, b.title, b.tag_names(), repr(b.body), b.source_name, b.translation_key)
    assert not report.imported.failures
