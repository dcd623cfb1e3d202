"""The registry the board starts with, and the extractor's view of the registry as it stands.

What ships (``data/``): every ISO 3166-1 country and territory from ``pycountry``, with its
Traditional Chinese name from CLDR (``babel``), the board's own names on top of them
(``countries.json``: Taiwan usage, demonyms, the EU, APEC and ASEAN, two-country short forms
such as 台日); curated organizations (``organizations.json``); a field taxonomy built on IPTC
Media Topics (``fields.json``). ``sync`` loads it (a data migration runs it, so every database
has it; ``newsbrief entities sync`` runs it again after an upgrade): it creates what is
missing, fills fields an editor left blank and adds missing aliases, and never changes a name,
removes an alias or undoes a merge an editor made.

``automaton()`` is the extractor built from the database (names, aliases, learned acronyms),
rebuilt when the registry changes (``version``)."""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from django.db.models import Sum
from django.db.models.functions import Length
from django.utils.text import slugify

from . import extraction

DATA = Path(__file__).parent / "data"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
COUNTRY, ORGANIZATION, FIELD = "country", "organization", "field"


@dataclasses.dataclass(frozen=True)
class Spec:
    """One entity as the data files describe it."""

    kind: str
    slug: str
    name_en: str
    name_zh: str = ""
    code: str = ""
    acronym: str = ""
    parent: str = ""  # a slug
    aliases: tuple[str, ...] = ()
    #: Aliases that name it less surely: ambiguous words (Georgia, Chad), demonyms.
    weak: frozenset[str] = frozenset()
    demonyms: frozenset[str] = frozenset()
    #: A field's everyday words (software, energy, 醫院): shown, but less sure than the
    #: industry's own terms unless its firms or market follow (software firm).
    generic: frozenset[str] = frozenset()


def _load(name: str):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def is_acronym(text: str) -> bool:
    """IDB, ECFA, 5G, A*STAR: matched with their case (``US`` is not ``us``)."""
    return (
        not CJK.search(text)
        and any(c.isupper() for c in text)
        and not any(c.islower() for c in text)
    )


def alias_language(text: str) -> str:
    if CJK.search(text):
        return "zh-hant"
    return "" if is_acronym(text) else "en"


@functools.cache
def specs() -> tuple[Spec, ...]:
    """Every entity the data files describe: countries and regions, organizations, fields."""
    import babel
    import pycountry

    zh = babel.Locale.parse("zh_Hant").territories
    extra = _load("countries.json")
    found: list[Spec] = []
    country_slug: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        own = extra["names"].get(code, {})
        name = own.get("en") or getattr(country, "common_name", None) or country.name
        iso_names = {country.name, getattr(country, "common_name", None),
                     getattr(country, "official_name", None)}  # fmt: skip
        aliases = [n for n in iso_names if n and "," not in n and n != name]
        slug = slugify(name) or code.lower()
        country_slug[code] = slug
        found.append(_spec(COUNTRY, slug, name, own.get("zh") or zh.get(code, ""), code, "",
                           "", aliases, own))  # fmt: skip
    for region in extra["regions"]:
        country_slug[region["code"]] = region["slug"]
        found.append(_spec(COUNTRY, region["slug"], region["en"], region["zh"], region["code"],
                           "", "", region.get("aliases", []), region))  # fmt: skip
    for org in _load("organizations.json"):
        found.append(_spec(ORGANIZATION, org["slug"], org["en"], org["zh"], "", org["acronym"],
                           country_slug.get(org["parent"], ""), org["aliases"], org))  # fmt: skip
    fields = _load("fields.json")
    compounds = set(fields["compounds"])
    for field in fields["fields"]:
        aliases = [a for a in field["aliases"] if a not in compounds]
        found.append(_spec(FIELD, field["slug"], field["en"], field["zh"], field["code"], "",
                           field["parent"], aliases, field))  # fmt: skip
    return tuple(found)


def _spec(kind, slug, name_en, name_zh, code, acronym, parent, aliases, own) -> Spec:
    weak = frozenset(own.get("weak", ()))
    demonyms = frozenset(own.get("demonyms", ()))
    generic = frozenset(own.get("generic", ()))
    texts = [*aliases, *own.get("aliases", ()), *weak, *demonyms, *generic]
    names = {name_en, name_zh, acronym}
    unique = tuple(dict.fromkeys(t for t in texts if t and t not in names))
    return Spec(kind, slug, name_en, name_zh, code, acronym, parent, unique, weak, demonyms,
                generic)  # fmt: skip


@functools.cache
def _by_slug() -> dict[str, Spec]:
    return {s.slug: s for s in specs()}


@functools.cache
def shared_terms() -> tuple[tuple[str, tuple[str, ...], str, str], ...]:
    """Texts that name several entities at once, or none, or another in Simplified text:
    (text, slugs, kind, script). Two-country short forms (台日), the Taiwan Strait's two
    sides (兩岸), fields named together (汽機車), blockers (台中, 中美洲: longer words that
    contain a name) and mainland words (我国: China in a Simplified text)."""
    countries = _load("countries.json")
    by_code = {s.code: s.slug for s in specs() if s.kind == COUNTRY}
    pairs = countries["pairs"]
    found = []
    for form in pairs["forms"]:
        found.append((form, tuple(by_code[pairs["chars"][c]] for c in form), extraction.PAIR, ""))
    for form in pairs["strait"]:
        found.append((form, (by_code["TW"], by_code["CN"]), extraction.PAIR, ""))
    for text, slugs in _load("fields.json")["compounds"].items():
        found.append((text, tuple(slugs), extraction.NAME, ""))
    found.extend((text, (), extraction.BLOCKER, "") for text in countries["blockers"])
    for text, code in _simplified().items():
        found.append((text, (by_code[code],), extraction.DEMONYM, "hans"))
    return tuple(found)


@functools.cache
def _simplified() -> dict[str, str]:
    """{text: country code} of the words that name another country in mainland text."""
    return {k: v for k, v in _load("countries.json")["simplified"].items() if k != "_about"}


# -- loading ----------------------------------------------------------------------------------


@dataclasses.dataclass
class Synced:
    created: int = 0
    filled: int = 0
    aliases: int = 0

    def __str__(self) -> str:
        return (
            f"{self.created} entities created, {self.filled} filled in, "
            f"{self.aliases} aliases added"
        )


def sync(entity_model=None, alias_model=None) -> Synced:
    """Apply the data files to the registry (idempotent). The models are parameters so that
    the data migration passes its historical ones."""
    if entity_model is None:
        from .models import Alias as alias_model
        from .models import Entity as entity_model
    result = Synced()
    existing = {e.slug: e for e in entity_model.objects.all()}
    for spec in specs():
        entity = existing.get(spec.slug)
        if entity is None:
            entity = entity_model.objects.create(
                kind=spec.kind, slug=spec.slug, code=spec.code, name_en=spec.name_en,
                name_zh_hant=spec.name_zh, acronym=spec.acronym,
            )  # fmt: skip
            existing[spec.slug] = entity
            result.created += 1
            continue
        blank = {
            field: value
            for field, value in (
                ("name_zh_hant", spec.name_zh),
                ("acronym", spec.acronym),
                ("code", spec.code),
            )
            if value and not getattr(entity, field)
        }
        if blank:
            entity_model.objects.filter(pk=entity.pk).update(**blank)
            result.filled += 1
    for spec in specs():
        entity = existing[spec.slug]
        if spec.parent and entity.parent_id is None and spec.parent in existing:
            entity_model.objects.filter(pk=entity.pk, parent__isnull=True).update(
                parent=existing[spec.parent]
            )
    live = _live_ids(entity_model)
    have = set(alias_model.objects.values_list("entity_id", "text"))
    fresh = []
    for spec in specs():
        target = live[existing[spec.slug].pk]
        for text in spec.aliases:
            if (target, text) not in have:
                have.add((target, text))
                kind = "acronym" if is_acronym(text) else "name"
                fresh.append(alias_model(entity_id=target, text=text,
                                         language=alias_language(text), kind=kind))  # fmt: skip
    alias_model.objects.bulk_create(fresh, ignore_conflicts=True)
    result.aliases = len(fresh)
    _cache.clear()
    return result


def _live_ids(entity_model) -> dict[int, int]:
    """{entity id: the id of the live entity it was merged into (itself when live)}."""
    merged = dict(entity_model.objects.values_list("pk", "merged_into_id"))
    live = {}
    for pk in merged:
        seen, at = set(), pk
        while merged.get(at) and at not in seen:
            seen.add(at)
            at = merged[at]
        live[pk] = at
    return live


# -- the extractor's view ---------------------------------------------------------------------

_cache: dict = {}
_lock = threading.Lock()
#: How long a process trusts its automaton when no entity or alias was added or removed
#: (a rename in another process reaches it within this time; in this one, at once).
RECHECK_SECONDS = 60


def quick_version() -> tuple:
    """Rows added or removed: one cheap statement, asked before every extraction."""
    from django.db import connection

    from .models import Alias, Entity

    entities, aliases = Entity._meta.db_table, Alias._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {entities}), (SELECT MAX(id) FROM {entities}), "
            f"(SELECT COUNT(merged_into_id) FROM {entities}), "
            f"(SELECT COUNT(*) FROM {aliases}), (SELECT MAX(id) FROM {aliases})"
        )
        return tuple(cursor.fetchone())


def version() -> tuple:
    """Changes whenever an entity or alias is added, removed, renamed or merged: a few
    aggregates over a registry of some thousand rows."""
    from .models import Alias, Entity

    entities = Entity.objects.aggregate(
        chars=Sum(Length("name_en") + Length("name_zh_hant") + Length("acronym"))
    )
    aliases = Alias.objects.aggregate(chars=Sum(Length("text")))
    return (*quick_version(), entities["chars"], aliases["chars"])


def automaton() -> extraction.Automaton:
    """The extractor for the registry as it is now (built once per version, per process)."""
    quick = quick_version()
    now = time.monotonic()
    with _lock:
        built = _cache.get("automaton")
        if built is not None and built[1] == quick and now - built[2] < RECHECK_SECONDS:
            return built[3]
        full = version()
        if built is None or built[0] != full:
            built = (full, quick, now, extraction.Automaton(terms_from_db()))
        else:
            built = (full, quick, now, built[3])
        _cache["automaton"] = built
        return built[3]


def forget(**kwargs) -> None:
    """An entity or alias changed in this process: rebuild at the next extraction."""
    _cache.clear()


def terms_from_db() -> list[extraction.Term]:
    """Every text that names a live entity, keyed by its id: names, acronyms and aliases (an
    alias of a merged entity names the entity it was merged into), weighted by kind."""
    from .models import Alias, Entity

    rows = list(
        Entity.objects.values_list("pk", "slug", "kind", "name_en", "name_zh_hant", "acronym")
    )
    live = _live_ids(Entity)
    slug_of = {pk: slug for pk, slug, *_ in rows}
    kind_of = {pk: kind for pk, _slug, kind, *_ in rows}
    texts = []
    for pk, _slug, _kind, name_en, name_zh, acronym in rows:
        texts += [(pk, name_en, "name"), (pk, name_zh, "name"), (pk, acronym, "acronym")]
    texts += Alias.objects.values_list("entity_id", "text", "kind")
    id_of = {slug: live[pk] for pk, slug in slug_of.items()}
    return list(_terms(texts, live, slug_of, kind_of, id_of))


def terms_from_data() -> list[extraction.Term]:
    """The same from the data files alone, keyed by slug (the quality bench needs no
    database)."""
    texts, kind_of = [], {}
    for s in specs():
        kind_of[s.slug] = s.kind
        texts += [(s.slug, s.name_en, "name"), (s.slug, s.name_zh, "name"),
                  (s.slug, s.acronym, "acronym")]  # fmt: skip
        texts += [(s.slug, a, "acronym" if is_acronym(a) else "name") for a in s.aliases]
    same = {slug: slug for slug in kind_of}
    return list(_terms(texts, same, same, kind_of, same))


def _terms(texts: Iterable, live, slug_of, kind_of, id_of) -> Iterable[extraction.Term]:
    by_slug = _by_slug()
    for key, text, alias_kind in texts:
        if not text or key not in live:
            continue
        target = live[key]
        spec = by_slug.get(slug_of.get(key, ""))
        kind = extraction.NAME
        if alias_kind == "learned":
            kind = extraction.LEARNED
        elif alias_kind == "acronym" or is_acronym(text):
            kind = extraction.ACRONYM
        if spec is not None and text in spec.demonyms:
            kind = extraction.DEMONYM
        elif spec is not None and (text in spec.weak or text.lower() in spec.weak):
            kind = extraction.WEAK
        elif spec is not None and (text in spec.generic or text.lower() in spec.generic):
            kind = extraction.GENERIC
        entity_kind = kind_of[target]
        owned = spec is not None and entity_kind == ORGANIZATION
        parent = id_of.get(spec.parent) if owned else None
        script = "hant" if text in _simplified() else ""
        for variant in _variants(text, entity_kind):
            yield extraction.Term(variant, (target,), kind, entity_kind, parent, script)
    shared_kind = {extraction.NAME: FIELD, extraction.DEMONYM: COUNTRY}
    for text, slugs, kind, script in shared_terms():
        targets = tuple(id_of[s] for s in slugs if s in id_of)
        if len(targets) == len(slugs):
            yield from (
                extraction.Term(v, targets, kind, shared_kind.get(kind, ""), None, script)
                for v in _variants(text, "")
            )


def _variants(text: str, entity_kind: str) -> list[str]:
    """台灣 and 臺灣 both (Taiwan writes either); a field's English names in the plural."""
    found = [text]
    if "台" in text or "臺" in text:
        found += [text.replace("臺", "台"), text.replace("台", "臺")]
    elif entity_kind == FIELD and not CJK.search(text) and not is_acronym(text):
        if text.endswith("y") and not text.endswith(("ey", "ay", "oy")):
            found.append(text[:-1] + "ies")
        elif not text.endswith("s"):
            found.append(text + ("es" if text.endswith(("ch", "sh", "x")) else "s"))
    return list(dict.fromkeys(found))
