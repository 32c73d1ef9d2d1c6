"""Loading and checking the site configuration (TOML).

The configuration model is the description: each table is a dataclass below and each key
one field, declared once with its type (the annotation), default, bounds and meaning
(``about``, as the field's metadata). Checking a file, building ``SiteConfig`` and the tables of
``docs/configuratie.md`` are all derived from it. Every error names the file, the key and
the key's own line (``task[1].rank`` is the second ``[[task]]``'s).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import tomllib
import types
import typing
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from core import wcag
from core.urls import start_url as typed_start_url

# Shipped with the package (core/data/), so that an installed nachtwacht finds it too.
DEFAULT_TASKS = Path(__file__).resolve().parent / "data" / "toptaken.toml"


class ConfigError(Exception):
    """A configuration problem, with a one-line message for the user."""


def about(doc: str, *, minimum: float | None = None, required: bool = False,
          kind: str | None = None, unit: str | None = None, shown_type: str | None = None,
          shown_default: str | None = None) -> dict:
    """The metadata that makes a dataclass field a key of a configuration table.

    ``doc``: its meaning, as docs/configuratie.md shows it; ``minimum``: the least value
    accepted; ``required``: a [[table]] entry without it is an error; ``kind``: only where
    the annotation does not say it ("duration", "date"); ``unit``, ``shown_type`` and
    ``shown_default``: how the doc shows its type and default where the plain words do not do.
    The default is the field's own.
    """
    return {"option": Option(doc=doc, minimum=minimum, required=required, kind=kind, unit=unit,
                             shown_type=shown_type, shown_default=shown_default)}


@dataclass(frozen=True)
class Option:
    """What ``about`` declares of one key; ``Key`` adds its name, type and default."""

    doc: str
    minimum: float | None = None
    required: bool = False
    kind: str | None = None
    unit: str | None = None
    shown_type: str | None = None
    shown_default: str | None = None


@dataclass(frozen=True)
class Key(Option):
    """One key of a table as ``keys()`` reads it from the model."""

    name: str = ""
    default: object = None


SECONDS = "seconden"
REGEXES = "lijst met reguliere expressies"


@dataclass
class Task:
    """``[[task]]``: a top task of the municipality."""

    id: str = field(metadata=about(
        "korte, vaste naam zonder spaties; verander die niet, de geschiedenis hangt eraan",
        required=True))
    name: str = field(metadata=about("de naam zoals inwoners die kennen", required=True))
    rank: int = field(default=99, metadata=about(
        "1 = de belangrijkste; belangrijke taken tellen zwaarder (zie `docs/scoring.md`)"))
    match: list[str] = field(default_factory=list, metadata=about(
        "een pagina waarvan het pad hierop past, hoort bij de taak (hoofdletters maken niet "
        "uit)", shown_type=REGEXES))
    keywords: list[str] = field(default_factory=list, metadata=about(
        "een pagina met een van deze woorden in de titel of de h1 hoort bij de taak"))
    short_url: str | None = field(default=None, metadata=about(
        "het korte adres van de taak, bijvoorbeeld voor brieven; elke nacht gecontroleerd"))
    form: str | None = field(default=None, metadata=about(
        "het formulier van de taak (pagina of `action`-adres); ontbreekt het, dan kost dat "
        "punten"))


@dataclass
class Letter:
    """``[[letter]]``: an address printed in a letter or a campaign."""

    url: str = field(metadata=about("het adres zoals het in de brief staat", required=True))
    expect: str | None = field(default=None, metadata=about(
        "de pagina waar de inwoner moet uitkomen"))
    note: str | None = field(default=None, metadata=about(
        "waar het adres gebruikt wordt (handig voor het KCC)"))


@dataclass
class Deviation:
    """``[[deviation]]``: a deviation from a WCAG criterion as the statement describes it
    (status B needs them; audits/deviations.py)."""

    criterion: str = field(metadata=about("het succescriterium, zoals `\"1.1.1\"`", required=True))
    cause: str | None = field(default=None, metadata=about("de oorzaak"))
    effect: str | None = field(default=None, metadata=about("het gevolg voor de bezoeker"))
    measure: str | None = field(default=None, metadata=about("wat de gemeente eraan doet"))
    # an ISO date in the model, as the run's settings are stored as JSON
    target_date: str | None = field(default=None, metadata=about(
        "wanneer het opgelost is, zoals `2027-03-01` (zonder aanhalingstekens)", kind="date"))


@dataclass
class Axe:
    """``[axe]``: how axe-core runs. audits/axe_stage.py builds ``AxeSettings`` (audits/axe_settings.py)
    from the keys given; these defaults are AxeSettings' own (tests/test_config.py holds them
    together)."""

    tags: list[str] = field(default_factory=lambda: list(wcag.DEFAULT_TAGS), metadata=about(
        "welke regels van axe-core draaien (axe-tags)"))
    disable: list[str] = field(default_factory=list, metadata=about(
        "regels van axe die niet draaien, zoals `\"region\"`"))
    exclude: list[str] = field(default_factory=list, metadata=about(
        "delen van pagina's die niet worden gecontroleerd, zoals een ingesloten kaart",
        shown_type="lijst met CSS-selectors"))
    script: str | None = field(default=None, metadata=about(
        "een ander `axe.min.js` (pad naast het configuratiebestand)",
        shown_default="het meegeleverde axe-core"))
    page_timeout: float = field(default=30.0, metadata=about(
        "zo lang mag een pagina laden", unit=SECONDS))
    script_timeout: float = field(default=60.0, metadata=about(
        "zo lang mag axe op één pagina doen", unit=SECONDS))
    locale: str = field(default="nl", metadata=about("taal van de uitleg per element"))
    template_once: bool = field(default=False, metadata=about(
        "een gedeeld deel van de huisstijl (kop, hoofdmenu, voet) per versie één keer "
        "controleren; de bevindingen zijn dezelfde als bij elke pagina apart"))


@dataclass
class Access:
    """``[access]``: a protected (staging) site; values "$NAME" are read from the environment
    at run time (core/access.py)."""

    username: str | None = field(default=None, metadata=about(
        "gebruikersnaam voor HTTP basic auth"))
    password_env: str | None = field(default=None, metadata=about(
        "de **naam** van de omgevingsvariabele met het wachtwoord"))
    headers: list[str] = field(default_factory=list, metadata=about(
        "extra headers bij elk verzoek", shown_type="lijst met teksten `\"Naam: waarde\"`"))
    cookies: list[str] = field(default_factory=list, metadata=about(
        "cookies bij elk verzoek", shown_type="lijst met teksten `\"naam=waarde\"`"))


@dataclass
class Scoring:
    """``[scoring]``: extra parts of the site score, off unless given (docs/scoring.md)."""

    readability_weight: float | None = field(default=None, metadata=about(
        "laat de leesbaarheid met dit gewicht meetellen in de sitescore (zie `docs/scoring.md`)",
        minimum=0, shown_default="uit"))


@dataclass
class Browser:
    """``[browser]``: the audit browser (audits/browser.py)."""

    block: list[str] | None = field(default=None, metadata=about(
        "hosts die de browser nooit benadert, zodat een nachtelijke controle niet als duizenden"
        " bezoekers in uw statistieken staat. `\"tracker.nl\"` blokkeert ook alle subdomeinen, "
        "`\"*.tracker.nl\"` alleen de subdomeinen. Uw lijst vervangt de standaardlijst; `block = "
        "[]` blokkeert niets. Verzoeken naar geblokkeerde hosts staan wel per pagina in het "
        "rapport (privacy)",
        shown_type="lijst met hosts", shown_default="de meegeleverde lijst met statistiek-, opname- en advertentiediensten (`audits/data/block.toml`)"))


@dataclass
class Notify:
    """``[notify]``: the KCC digest by e-mail (nachtwacht/mail.py); secrets only from the
    environment."""

    email: list[str] = field(default_factory=list, metadata=about(
        "de ontvangers", shown_default="niemand"))
    smtp_host: str = field(default="localhost", metadata=about("de mailserver"))
    smtp_port: int = field(default=587, metadata=about("de poort van de mailserver"))
    sender: str | None = field(default=None, metadata=about(
        "de afzender", shown_default="`nachtwacht@SMTP_HOST`"))
    starttls: bool = field(default=True, metadata=about("versleuteld verbinden (STARTTLS)"))
    username_env: str | None = field(default=None, metadata=about(
        "de **naam** van de omgevingsvariabele met de gebruikersnaam"))
    password_env: str | None = field(default=None, metadata=about(
        "de **naam** van de omgevingsvariabele met het wachtwoord"))
    ca_file: str | None = field(default=None, metadata=about(
        "een eigen CA-bestand voor de mailserver", shown_default="de certificaten van het systeem"))
    send_when_quiet: bool = field(default=False, metadata=about(
        "ook mailen als er niets veranderd is"))


@dataclass
class Checks:
    """``[checks]``: the checks beyond axe, each on unless switched off (audits/checks/: a
    page check's ``setting`` is one of these)."""

    reflow: bool = field(default=True, metadata=about(
        "inhoud past op een smal scherm zonder horizontaal scrollen (WCAG 1.4.10)"))
    text_spacing: bool = field(default=True, metadata=about(
        "tekst blijft leesbaar met meer regel- en letterafstand (1.4.12)"))
    keyboard: bool = field(default=True, metadata=about(
        "zichtbare focus (2.4.7), geen toetsenbordval (2.1.2), een link om de navigatie over te"
        " slaan (2.4.1)"))
    site: bool = field(default=True, metadata=about(
        "unieke paginatitels, dezelfde navigatie, meer dan één weg naar een pagina"))
    privacy: bool = field(default=True, metadata=about("diensten van derden en cookies per pagina"))
    documents: bool = field(default=True, metadata=about(
        "pdf's en andere documenten: getagd, taal, titel, tekst"))
    readability: bool = field(default=True, metadata=about(
        "leesbaarheid (taalniveau, lange zinnen, moeilijke woorden) van de hoofdtekst van "
        "pagina's"))
    orientation: bool = field(default=True, metadata=about(
        "de pagina werkt staand en liggend (1.3.4)"))
    screenshots: bool = field(default=True, metadata=about(
        "een foto van elk element met een fout, gemarkeerd, in `OUT/screenshots/` en op het "
        "rapport"))


@dataclass
class SiteConfig:
    """``[site]``: the website and the bounds of the watch; with the other tables, the whole
    configuration of one site."""

    name: str = field(metadata=about(
        "de naam van de website in het rapport en in de geschiedenis",
        shown_default="de hostnaam van het eerste startadres"))
    start_urls: list[str] = field(metadata=about(
        "hier begint de controle; meestal alleen de homepage. Elk startadres is klik-diepte 0. "
        "Schrijf het zoals u het intypt: `www.mijngemeente.nl` betekent "
        "`https://www.mijngemeente.nl/`", shown_default="verplicht (of geef een START_URL op)"))
    allowed_domains: list[str] = field(metadata=about(
        "alleen pagina's op deze domeinen (en hun subdomeinen) worden doorzocht; links naar "
        "andere sites worden alleen gecontroleerd (werkt de link nog?)",
        shown_default="de hosts van de startadressen"))
    sitemaps: list[str] | None = field(default=None, metadata=about(
        "de sitemaps die nachtwacht leest",
        shown_default="`/sitemap.xml` op elke starthost, plus de regels `Sitemap:` in robots.txt"))
    max_pages: int = field(default=5000, metadata=about(
        "nooit meer dan zoveel pagina's per nacht", minimum=1))
    max_depth: int = field(default=20, metadata=about(
        "hoogstens zoveel klikken vanaf een startadres; `0` = alleen de startadressen zelf",
        minimum=0))
    fail_under: float | None = field(default=None, metadata=about(
        "exitcode 1 als de sitescore lager is", shown_default="geen grens"))
    user_agent: str | None = field(default=None, metadata=about(
        "hoe nachtwacht zich bij de server meldt",
        shown_default="`nachtwacht/VERSIE (toegankelijkheidsmonitor voor gemeentesites)`"))
    delay: float = field(default=0.0, metadata=about(
        "minstens zoveel seconden tussen twee verzoeken aan dezelfde host",
        minimum=0, unit=SECONDS, shown_default="`0` (nachtwacht past het tempo aan de server aan)"))
    concurrency_per_host: int = field(default=4, metadata=about(
        "hoogstens zoveel verzoeken tegelijk aan één host", minimum=1))
    browsers: int | None = field(default=None, metadata=about(
        "zoveel browsers tegelijk voor de toegankelijkheidscontrole",
        shown_default="het aantal processorkernen"))
    grid_url: str | None = field(default=None, metadata=about(
        "het adres van een Selenium Grid dat de browsers levert",
        shown_default="geen (de browser draait op deze machine)"))
    timeout: float = field(default=20.0, metadata=about(
        "zo lang wachten op één antwoord", minimum=0.1, unit=SECONDS))
    fail_on_new: bool = field(default=False, metadata=about(
        "exitcode 1 bij nieuwe fouten of kapotte links sinds de vorige volledige controle"))
    webhook_url: str | None = field(default=None, metadata=about(
        "een JSON-bericht (POST) naar dit adres als de score daalt of een toptaak of brief-URL "
        "stuk gaat. Het adres wordt niet bewaard, alleen de host"))
    max_query_variants: int = field(default=100, metadata=about(
        "beveiliging tegen eindeloze kalenders en filters: hoogstens zoveel verschillende "
        "queries (`?…`) per pad", minimum=1))
    max_document_mb: float = field(default=25.0, metadata=about(
        "grotere documenten (pdf, docx …) worden niet gedownload, alleen gecontroleerd of de "
        "link werkt", minimum=0.001))
    include: list[str] = field(default_factory=list, metadata=about(
        "doorzoek alleen pagina's waarvan het pad (met de query) op één ervan past; de "
        "startadressen worden altijd bekeken", shown_type=REGEXES, shown_default="alles"))
    exclude: list[str] = field(default_factory=list, metadata=about(
        "en geen pagina die op één hiervan past", shown_type=REGEXES, shown_default="niets"))
    statement_url: str | None = field(default=None, metadata=about(
        "het adres van de toegankelijkheidsverklaring van de site",
        shown_default="nachtwacht zoekt de verklaring zelf (link op de site)"))
    keep_nights: int = field(default=60, metadata=about(
        "van zoveel laatste controles blijven alle details bewaard; van oudere alleen de "
        "samenvatting (scores, aantallen, de scores per toptaak), zodat de database klein "
        "blijft en het verloop zichtbaar", minimum=1))
    # seconds in the model: "6h", "90m", "1h30m" or a number of seconds in the file
    time_budget: float | None = field(default=None, metadata=about(
        "de tijd voor de toegankelijkheidscontrole van één nacht, gerekend vanaf het begin van "
        "die controle (na het ophalen van de pagina's). Is die op, dan stopt de "
        "toegankelijkheidscontrole; de pagina's die over zijn, komen de volgende nacht als "
        "eerste aan de beurt (pagina's van toptaken voorop). Zo is een grote site na een paar "
        "nachten helemaal bekeken",
        kind="duration", minimum=1, shown_default="geen grens", shown_type="tijdsduur: `\"6h\"`, `\"90m\"`, `\"1h30m\"` of een aantal seconden"))
    # the other tables: [[task]] etc. as models, the plain tables as given (absent keys absent,
    # their users fall back on the defaults above)
    tasks: list[Task] = field(default_factory=list)
    letters: list[Letter] = field(default_factory=list)
    deviations: list[Deviation] = field(default_factory=list)
    axe: dict = field(default_factory=dict)
    access: dict = field(default_factory=dict)
    scoring: dict = field(default_factory=dict)
    browser: dict = field(default_factory=dict)
    notify: dict = field(default_factory=dict)
    checks: dict = field(default_factory=dict)
    source: str | None = None

    def absolute(self, url: str) -> str:
        """A configured path made absolute against the first start URL."""
        return urljoin(self.start_urls[0], url)

    def with_start_url(self, start_url: str) -> SiteConfig:
        """This configuration pointed at another origin (the demo's free port)."""
        start_url = typed_start_url(start_url)
        host = urlsplit(start_url).hostname or ""
        self.start_urls = [start_url]
        self.allowed_domains = [host]
        return self


# The tables of a configuration file and their models; "[[name]]" tables are lists of tables.
# The plain tables are kept in the SiteConfig field of their name.
TABLES: dict[str, type] = {
    "site": SiteConfig, "[[task]]": Task, "[[letter]]": Letter, "[[deviation]]": Deviation,
    "axe": Axe, "access": Access, "scoring": Scoring, "browser": Browser, "notify": Notify,
    "checks": Checks,
}
PLAIN_TABLES = tuple(name for name, model in TABLES.items()
                     if model is not SiteConfig and not name.startswith("[["))
KINDS = {str: "str", int: "int", float: "number", bool: "bool", list[str]: "list[str]"}


def _kind(hint) -> str:
    """The kind of value a field's annotation asks for ("int | None" -> "int")."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        (hint,) = (arg for arg in typing.get_args(hint) if arg is not type(None))
    return KINDS[hint]


@functools.cache
def keys(model: type) -> dict[str, Key]:
    """The keys of a table's model, in their order: name, kind, default, bounds and meaning."""
    hints = typing.get_type_hints(model)
    found = {}
    for item in dataclasses.fields(model):
        declared = item.metadata.get("option")
        if declared is None:
            continue
        if item.default_factory is not dataclasses.MISSING:
            default = item.default_factory()
        else:
            default = None if item.default is dataclasses.MISSING else item.default
        found[item.name] = Key(**{**dataclasses.asdict(declared),
                                  "kind": declared.kind or _kind(hints[item.name])},
                               name=item.name, default=default)
    return found


# Derived, for reading: table -> {key: kind}. A new key is a field of its table's model above.
SCHEMA: dict[str, dict[str, str]] = {
    table: {name: key.kind for name, key in keys(model).items()} for table, model in TABLES.items()}


def _type_ok(value, kind: str) -> bool:
    if kind == "str":
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "list[str]":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "date":
        return isinstance(value, date) and not isinstance(value, datetime)
    if kind == "duration":
        return duration_seconds(value) is not None
    raise ValueError(kind)


DURATION = re.compile(r"\s*(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+(?:\.\d+)?)\s*m)?"
                      r"\s*(?:(\d+(?:\.\d+)?)\s*s)?\s*", re.IGNORECASE)


def duration_seconds(value) -> float | None:
    """Seconds from a number of seconds or a text such as "6h", "90m", "1h30m"; None if neither."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    match = DURATION.fullmatch(value) if isinstance(value, str) else None
    if not match or not any(match.groups()):
        return None
    hours, minutes, seconds = (float(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _modelled(key: Key, value):
    """A checked value as the model keeps it: a duration in seconds, a date as ISO text."""
    if key.kind == "duration":
        return duration_seconds(value)
    if key.kind == "date":
        return value.isoformat()
    return value


def _modelled_table(model: type, table: dict) -> dict:
    known = keys(model)
    return {name: _modelled(known[name], value) for name, value in table.items()}


TYPE_NAMES = {"str": "tekst", "int": "geheel getal", "number": "getal",
              "bool": "true of false", "list[str]": "lijst met teksten",
              "date": "datum (zoals 2027-03-01, zonder aanhalingstekens)",
              "duration": "tijdsduur (zoals \"6h\", \"90m\" of een aantal seconden)"}


NAME = re.compile(r"(?P<table>[\w-]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<key>[\w-]+))?")
HEADER = re.compile(r"\s*(\[\[?)\s*([\w.-]+)\s*\]\]?\s*(#.*)?$")


def _line_of(text: str, name: str) -> int | None:
    """The line of ``name`` ("site.max_pages", "task[1].match", "axe") in the TOML text: in its
    own table, so the second [[task]]'s key is not taken for the first's."""
    parts = NAME.fullmatch(name)
    if not parts:
        return None
    table, key = parts["table"], parts["key"]
    index = int(parts["index"]) if parts["index"] is not None else None
    current, seen, first_key = None, {}, None
    for number, line in enumerate(text.splitlines(), start=1):
        header = HEADER.match(line)
        if header:
            brackets, current_name = header[1], header[2]
            position = seen.get(current_name, -1) + 1 if brackets == "[[" else None
            if brackets == "[[":
                seen[current_name] = position
            current = (current_name, position)
            if key is None and current_name == table and index in (None, position):
                return number
            continue
        if key and re.match(rf"\s*{re.escape(key)}\s*=", line):
            first_key = first_key or number
            if current is not None and current[0] == table and index in (None, current[1]):
                return number
        elif key is None and re.match(rf"\s*{re.escape(table)}\s*=", line):
            return number
    return first_key


def _fail(path: str, text: str, key: str, message: str) -> ConfigError:
    line = _line_of(text, key)
    where = f"{path}:{line}" if line else path
    return ConfigError(f"{where}: {key}: {message}")


def _check_table(table: dict, model: type, prefix: str, path: str, text: str) -> None:
    """Every key of ``table`` is one of its model's, of its kind and not under its minimum."""
    known = keys(model)
    for name, value in table.items():
        where = f"{prefix}.{name}"
        key = known.get(name)
        if key is None:
            raise _fail(path, text, where, f"onbekende sleutel (bekend: {', '.join(known)})")
        if not _type_ok(value, key.kind):
            raise _fail(path, text, where, f"moet een {TYPE_NAMES[key.kind]} zijn")
        if key.minimum is not None and _modelled(key, value) < key.minimum:
            raise _fail(path, text, where, f"moet minstens {key.minimum} zijn")


def _check(data: dict, path: str, text: str) -> None:
    for name, value in data.items():
        if name in TABLES:
            if not isinstance(value, dict):
                raise _fail(path, text, name, "moet een tabel [" + name + "] zijn")
            _check_table(value, TABLES[name], name, path, text)
        elif f"[[{name}]]" in TABLES:
            model = TABLES[f"[[{name}]]"]
            if not isinstance(value, list):
                raise _fail(path, text, name, f"moet een lijst van tabellen [[{name}]] zijn")
            for index, item in enumerate(value):
                _check_table(item, model, f"{name}[{index}]", path, text)
                for required in (key.name for key in keys(model).values() if key.required):
                    if required not in item:
                        raise _fail(path, text, f"{name}[{index}]",
                                    f"[[{name}]] nummer {index + 1} mist '{required}'")
        else:
            raise _fail(path, text, name, "onbekende tabel of sleutel")


# How docs/configuratie.md shows a key: "| `key` | type | default | meaning |".
DOC_TYPES = {**TYPE_NAMES, "date": "datum", "duration": "tijdsduur"}


def doc_row(key: Key) -> str:
    """The key's row in its table of docs/configuratie.md, written from the model."""
    kind = key.shown_type or DOC_TYPES[key.kind] + (f" ({key.unit})" if key.unit else "")
    if key.minimum is not None:
        kind += ", minstens " + str(key.minimum).replace(".", ",")
    if key.shown_default:
        default = key.shown_default
    elif key.required:
        default = "verplicht"
    elif key.default is None or key.default == []:
        default = "geen"
    elif isinstance(key.default, bool):
        default = f"`{str(key.default).lower()}`"
    elif isinstance(key.default, float) and key.default.is_integer():
        default = f"`{int(key.default)}`"
    else:
        default = f"`{json.dumps(key.default, ensure_ascii=False)}`"
    return f"| `{key.name}` | {kind} | {default} | {key.doc} |"


def read_toml(path: Path) -> tuple[dict, str]:
    """Read and check a TOML file; ConfigError names the file and line on failure."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: bestand niet gevonden") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: kan het bestand niet lezen ({error})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"\(at line (\d+), column \d+\)", str(error))
        where = f"{path}:{line.group(1)}" if line else str(path)
        raise ConfigError(f"{where}: geen geldige TOML: {error}") from None
    _check(data, str(path), text)
    return data, text


def _tasks(items: list[dict], path: str, text: str) -> list[Task]:
    tasks = [Task(**_modelled_table(Task, item)) for item in items]
    for index, task in enumerate(tasks):
        for pattern in task.match:
            try:
                re.compile(pattern)
            except re.error as error:
                raise _fail(path, text, f"task[{index}].match", f"taak '{task.id}': reguliere expressie "
                            f"'{pattern}' klopt niet ({error})") from None
    return tasks


def _deviations(items: list[dict], path: str, text: str) -> list[Deviation]:
    """The [[deviation]] tables; an unknown criterion names its own line."""
    deviations = [Deviation(**_modelled_table(Deviation, item)) for item in items]
    for index, deviation in enumerate(deviations):
        if deviation.criterion not in wcag.criteria():
            raise _fail(path, text, f"deviation[{index}].criterion",
                        f"'{deviation.criterion}' is geen WCAG 2.1/2.2 A- of AA-succescriterium "
                        "(schrijf het als 1.1.1)")
    return deviations


def default_tasks() -> list[Task]:
    """The shipped default list of Dutch municipal top tasks."""
    if not DEFAULT_TASKS.exists():
        return []
    data, text = read_toml(DEFAULT_TASKS)
    return _tasks(data.get("task", []), str(DEFAULT_TASKS), text)


def site_from_url(start_url: str) -> SiteConfig:
    """Everything derived from a start URL alone."""
    start_url = _check_start_url(start_url, "START_URL", "")
    host = urlsplit(start_url).hostname or ""
    return SiteConfig(name=host, start_urls=[start_url], allowed_domains=[host],
                      tasks=default_tasks())


def _check_start_url(url: str, where: str, text: str) -> str:
    """The start URL as typed, made into the start page's URL (see core.urls.start_url)."""
    try:
        key = typed_start_url(url)
        parts = urlsplit(key)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and \
            (parts.port or 0) >= 0
    except ValueError:
        ok = False
    if not ok:
        raise _fail(where, text, "start_urls",
                    f"'{url}' is geen http(s)-adres") if text else ConfigError(
                        f"{where}: '{url}' is geen http(s)-adres")
    return key


def _check_patterns(site: dict, path: str, text: str) -> None:
    """Every ``include`` and ``exclude`` of [site] is a regular expression that compiles."""
    for key in ("include", "exclude"):
        for pattern in site.get(key, []):
            try:
                re.compile(pattern)
            except re.error as error:
                raise _fail(path, text, f"site.{key}", f"reguliere expressie '{pattern}' "
                            f"klopt niet ({error})") from None


def _check_urls(path: str, text: str, site: SiteConfig) -> SiteConfig:
    """Every configured address must be a URL: a typo such as "http://[x" is a configuration
    error here, not a crash in the middle of the night."""
    named = [(f"letter[{i}].{key}", getattr(letter, key)) for i, letter in enumerate(site.letters)
             for key in ("url", "expect")]
    named += [(f"task[{i}].{key}", getattr(task, key)) for i, task in enumerate(site.tasks)
              for key in ("short_url", "form")]
    named += [("site.statement_url", site.statement_url)]
    named += [("site.sitemaps", url) for url in site.sitemaps or []]
    for key, url in named:
        try:
            if url:
                site.absolute(url)
        except ValueError as error:
            raise _fail(path, text, key, f"'{url}' is geen geldig adres ({error})") from None
    return site


def load(path: Path | str, start_url: str | None = None) -> SiteConfig:
    """Load a site configuration file, optionally with the start URL given on the command line."""
    path = Path(path)
    data, text = read_toml(path)
    site = _modelled_table(SiteConfig, data.get("site", {}))
    if start_url:
        site["start_urls"] = [start_url]
    start_urls = site.get("start_urls") or []
    if not start_urls:
        raise _fail(str(path), text, "site.start_urls", "ontbreekt (of geef een START_URL op)")
    start_urls = site["start_urls"] = [_check_start_url(url, str(path), text)
                                       for url in start_urls]
    _check_patterns(site, str(path), text)
    site.setdefault("allowed_domains",
                    sorted({urlsplit(u).hostname for u in start_urls if urlsplit(u).hostname}))
    site.setdefault("name", urlsplit(start_urls[0]).hostname)
    if "task" in data:
        if not data["task"]:
            raise _fail(str(path), text, "task", "de lijst met toptaken is leeg")
        tasks = _tasks(data["task"], str(path), text)
    else:
        tasks = default_tasks()
    letters = [Letter(**_modelled_table(Letter, item)) for item in data.get("letter", [])]
    deviations = _deviations(data.get("deviation", []), str(path), text)
    conf = SiteConfig(**site, tasks=tasks, letters=letters, deviations=deviations,
                      **{name: data.get(name, {}) for name in PLAIN_TABLES}, source=str(path))
    return _check_urls(str(path), text, conf)
