"""An entity's page with its timeline and pairs, the entity index, and a brief's story in
time, as a reader's browser shows them: in both languages, at a desktop width and on a 320 px
phone (light and dark), with no axe-core violation (the figures' tables opened too) and
nothing wider than the window."""

import datetime as dt

import pytest

from newsbrief.briefs.models import Brief
from newsbrief.entities import counting
from newsbrief.entities.models import BriefEntity, Entity
from tests.factories import empty_registry, make_brief

pytestmark = pytest.mark.browser

SEED_TITLE = "Taiwan-Japan Industrial Cooperation Office Comes Into Being"
K = Entity.Kind


@pytest.fixture
def named(site):
    """The seed brief's entities, and briefs over some years naming them."""
    rows = {
        "taiwan": (K.COUNTRY, "Taiwan", "臺灣", ""),
        "japan": (K.COUNTRY, "Japan", "日本", ""),
        "south-korea": (K.COUNTRY, "South Korea", "南韓", ""),
        "idb": (K.ORGANIZATION, "Industrial Development Bureau", "工業局", "IDB"),
        "medical-devices": (K.FIELD, "Medical devices", "醫療器材", ""),
        "optics": (K.FIELD, "Optics", "光學", ""),
    }
    empty_registry()
    e = {
        slug: Entity.objects.create(slug=slug, kind=k, name_en=en, name_zh_hant=zh, acronym=a)
        for slug, (k, en, zh, a) in rows.items()
    }
    e["idb"].parent = e["taiwan"]
    e["idb"].save()
    seeds = list(Brief.objects.filter(title=SEED_TITLE)) + list(
        Brief.objects.filter(
            translation_key__in=Brief.objects.filter(title=SEED_TITLE).values("translation_key")
        )
    )
    briefs = set(seeds)
    for i in range(14):
        for language in ("en", "zh-hant"):
            title = f"Taiwan-Japan cooperation {i}" if language == "en" else f"臺日合作 {i}"
            when = dt.datetime(2009 + i // 2, 1 + (i * 5) % 12, 3, tzinfo=dt.UTC)
            briefs.add(make_brief(title, language=language, published_at=when))
    for n, brief in enumerate(sorted(briefs, key=lambda b: b.pk)):
        names = ["taiwan", "japan", "idb", "medical-devices" if n % 2 else "optics"]
        if n % 3 == 0:
            names.append("south-korea")
        for slug in names:
            BriefEntity.objects.update_or_create(
                brief=brief, entity=e[slug], defaults={"confidence": 0.9}
            )
        counting.follow(brief)
    return e


def check(page, path, axe, width, problems, screenshot, name):
    response = page.goto(path)
    if response.status != 200:
        problems.append(f"{path}: status {response.status}")
        return
    for summary in page.locator("details.chart-data > summary").all()[:3]:
        summary.click()
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width:
        problems.append(f"{path}: {scroll}px wide in a {width}px window")
    results = axe.run(page)
    if results.violations_count:
        problems.append(f"{path}:\n{results.generate_report()}")
    screenshot(page, name)


@pytest.fixture
def axe_checker():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.mark.parametrize(("width", "scheme"), [(1280, "light"), (320, "light"), (320, "dark")])
@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_entity_pages_and_timelines_fit_and_pass_axe(
    new_context, named, axe_checker, screenshot, language, width, scheme
):
    page = new_context(viewport={"width": width, "height": 900}, color_scheme=scheme).new_page()
    seed = Brief.objects.filter(title=SEED_TITLE).first()
    paths = {
        "entity": f"/{language}/entities/taiwan/",
        "organization": f"/{language}/entities/idb/?lang=all",
        "index": f"/{language}/entities/",
        "story": f"/{language}/briefs/{seed.pk}/",
    }
    problems = []
    for name, path in paths.items():
        check(
            page,
            path,
            axe_checker,
            width,
            problems,
            screenshot,
            f"{name}-{language}-{width}-{scheme}",
        )
    page.goto(paths["entity"])
    assert page.locator("svg[role=img] title").first.text_content()
    assert page.locator(".pair").count() >= 1
    assert not problems, "\n".join(problems)
