"""WCAG success criteria as data, and the mapping from axe-core tags to them.

axe-core tags each rule with the success criteria it tests ("wcag143" is
1.4.3) and with the WCAG version and level that ask for them ("wcag21aa",
"wcag22aa"). The Dutch legal baseline is WCAG 2.1 AA (through EN 301 549);
criteria that only WCAG 2.2 adds are reported apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# The WCAG 2.x A and AA rules; the default of the site config's [axe] tags.
DEFAULT_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
LEGAL_BASELINE = "2.1"

_CRITERION_TAG = re.compile(r"^wcag(\d)(\d)(\d{1,2})$")


@dataclass(frozen=True)
class Criterion:
    number: str          # "1.4.3"
    level: str           # "A", "AA" or "AAA"
    since: str           # WCAG version that introduced it: "2.0", "2.1", "2.2"
    name_en: str         # the W3C short name
    name_nl: str | None  # the name in the authorised Dutch translation (A and AA)
    removed_in: str | None = None  # 4.1.1 Parsing is obsolete in WCAG 2.2


# number, level, since, English name, Dutch name
_TABLE = [
    ("1.1.1", "A", "2.0", "Non-text Content", "Niet-tekstuele content"),
    ("1.2.1", "A", "2.0", "Audio-only and Video-only (Prerecorded)",
     "Louter-geluid en louter-video (vooraf opgenomen)"),
    ("1.2.2", "A", "2.0", "Captions (Prerecorded)",
     "Ondertitels voor doven en slechthorenden (vooraf opgenomen)"),
    ("1.2.3", "A", "2.0", "Audio Description or Media Alternative (Prerecorded)",
     "Audiodescriptie of media-alternatief (vooraf opgenomen)"),
    ("1.2.4", "AA", "2.0", "Captions (Live)", "Ondertitels voor doven en slechthorenden (live)"),
    ("1.2.5", "AA", "2.0", "Audio Description (Prerecorded)",
     "Audiodescriptie (vooraf opgenomen)"),
    ("1.2.6", "AAA", "2.0", "Sign Language (Prerecorded)", None),
    ("1.2.7", "AAA", "2.0", "Extended Audio Description (Prerecorded)", None),
    ("1.2.8", "AAA", "2.0", "Media Alternative (Prerecorded)", None),
    ("1.2.9", "AAA", "2.0", "Audio-only (Live)", None),
    ("1.3.1", "A", "2.0", "Info and Relationships", "Info en relaties"),
    ("1.3.2", "A", "2.0", "Meaningful Sequence", "Betekenisvolle volgorde"),
    ("1.3.3", "A", "2.0", "Sensory Characteristics", "Zintuiglijke eigenschappen"),
    ("1.3.4", "AA", "2.1", "Orientation", "Weergavestand"),
    ("1.3.5", "AA", "2.1", "Identify Input Purpose", "Identificeer het doel van de input"),
    ("1.3.6", "AAA", "2.1", "Identify Purpose", None),
    ("1.4.1", "A", "2.0", "Use of Color", "Gebruik van kleur"),
    ("1.4.2", "A", "2.0", "Audio Control", "Geluidsbediening"),
    ("1.4.3", "AA", "2.0", "Contrast (Minimum)", "Contrast (minimum)"),
    ("1.4.4", "AA", "2.0", "Resize Text", "Herschalen van tekst"),
    ("1.4.5", "AA", "2.0", "Images of Text", "Afbeeldingen van tekst"),
    ("1.4.6", "AAA", "2.0", "Contrast (Enhanced)", None),
    ("1.4.7", "AAA", "2.0", "Low or No Background Audio", None),
    ("1.4.8", "AAA", "2.0", "Visual Presentation", None),
    ("1.4.9", "AAA", "2.0", "Images of Text (No Exception)", None),
    ("1.4.10", "AA", "2.1", "Reflow", "Reflow"),
    ("1.4.11", "AA", "2.1", "Non-text Contrast", "Contrast van niet-tekstuele content"),
    ("1.4.12", "AA", "2.1", "Text Spacing", "Tekstafstand"),
    ("1.4.13", "AA", "2.1", "Content on Hover or Focus", "Content bij hover of focus"),
    ("2.1.1", "A", "2.0", "Keyboard", "Toetsenbord"),
    ("2.1.2", "A", "2.0", "No Keyboard Trap", "Geen toetsenbordval"),
    ("2.1.3", "AAA", "2.0", "Keyboard (No Exception)", None),
    ("2.1.4", "A", "2.1", "Character Key Shortcuts", "Enkel teken sneltoetsen"),
    ("2.2.1", "A", "2.0", "Timing Adjustable", "Timing aanpasbaar"),
    ("2.2.2", "A", "2.0", "Pause, Stop, Hide", "Pauzeren, stoppen, verbergen"),
    ("2.2.3", "AAA", "2.0", "No Timing", None),
    ("2.2.4", "AAA", "2.0", "Interruptions", None),
    ("2.2.5", "AAA", "2.0", "Re-authenticating", None),
    ("2.2.6", "AAA", "2.1", "Timeouts", None),
    ("2.3.1", "A", "2.0", "Three Flashes or Below Threshold",
     "Drie flitsen of beneden drempelwaarde"),
    ("2.3.2", "AAA", "2.0", "Three Flashes", None),
    ("2.3.3", "AAA", "2.1", "Animation from Interactions", None),
    ("2.4.1", "A", "2.0", "Bypass Blocks", "Blokken omzeilen"),
    ("2.4.2", "A", "2.0", "Page Titled", "Paginatitel"),
    ("2.4.3", "A", "2.0", "Focus Order", "Focusvolgorde"),
    ("2.4.4", "A", "2.0", "Link Purpose (In Context)", "Linkdoel (in context)"),
    ("2.4.5", "AA", "2.0", "Multiple Ways", "Meerdere manieren"),
    ("2.4.6", "AA", "2.0", "Headings and Labels", "Koppen en labels"),
    ("2.4.7", "AA", "2.0", "Focus Visible", "Focus zichtbaar"),
    ("2.4.8", "AAA", "2.0", "Location", None),
    ("2.4.9", "AAA", "2.0", "Link Purpose (Link Only)", None),
    ("2.4.10", "AAA", "2.0", "Section Headings", None),
    ("2.4.11", "AA", "2.2", "Focus Not Obscured (Minimum)", "Focus niet bedekt (minimum)"),
    ("2.4.12", "AAA", "2.2", "Focus Not Obscured (Enhanced)", None),
    ("2.4.13", "AAA", "2.2", "Focus Appearance", None),
    ("2.5.1", "A", "2.1", "Pointer Gestures", "Aanwijzergebaren"),
    ("2.5.2", "A", "2.1", "Pointer Cancellation", "Aanwijzerannulering"),
    ("2.5.3", "A", "2.1", "Label in Name", "Label in naam"),
    ("2.5.4", "A", "2.1", "Motion Actuation", "Bewegingsactivering"),
    ("2.5.5", "AAA", "2.1", "Target Size (Enhanced)", None),
    ("2.5.6", "AAA", "2.1", "Concurrent Input Mechanisms", None),
    ("2.5.7", "AA", "2.2", "Dragging Movements", "Sleepbewegingen"),
    ("2.5.8", "AA", "2.2", "Target Size (Minimum)", "Grootte van het aanwijsgebied (minimum)"),
    ("3.1.1", "A", "2.0", "Language of Page", "Taal van de pagina"),
    ("3.1.2", "AA", "2.0", "Language of Parts", "Taal van onderdelen"),
    ("3.1.3", "AAA", "2.0", "Unusual Words", None),
    ("3.1.4", "AAA", "2.0", "Abbreviations", None),
    ("3.1.5", "AAA", "2.0", "Reading Level", None),
    ("3.1.6", "AAA", "2.0", "Pronunciation", None),
    ("3.2.1", "A", "2.0", "On Focus", "Bij focus"),
    ("3.2.2", "A", "2.0", "On Input", "Bij input"),
    ("3.2.3", "AA", "2.0", "Consistent Navigation", "Consistente navigatie"),
    ("3.2.4", "AA", "2.0", "Consistent Identification", "Consistente identificatie"),
    ("3.2.5", "AAA", "2.0", "Change on Request", None),
    ("3.2.6", "A", "2.2", "Consistent Help", "Consistente hulp"),
    ("3.3.1", "A", "2.0", "Error Identification", "Foutidentificatie"),
    ("3.3.2", "A", "2.0", "Labels or Instructions", "Labels of instructies"),
    ("3.3.3", "AA", "2.0", "Error Suggestion", "Foutsuggestie"),
    ("3.3.4", "AA", "2.0", "Error Prevention (Legal, Financial, Data)",
     "Foutpreventie (wettelijk, financieel, gegevens)"),
    ("3.3.5", "AAA", "2.0", "Help", None),
    ("3.3.6", "AAA", "2.0", "Error Prevention (All)", None),
    ("3.3.7", "A", "2.2", "Redundant Entry", "Overbodige invoer"),
    ("3.3.8", "AA", "2.2", "Accessible Authentication (Minimum)",
     "Toegankelijke authenticatie (minimum)"),
    ("3.3.9", "AAA", "2.2", "Accessible Authentication (Enhanced)", None),
    ("4.1.1", "A", "2.0", "Parsing", "Parsen"),
    ("4.1.2", "A", "2.0", "Name, Role, Value", "Naam, rol, waarde"),
    ("4.1.3", "AA", "2.1", "Status Messages", "Statusberichten"),
]

CRITERIA: dict[str, Criterion] = {
    number: Criterion(number, level, since, name_en, name_nl,
                      removed_in="2.2" if number == "4.1.1" else None)
    for number, level, since, name_en, name_nl in _TABLE
}


def criteria_from_tags(tags: Iterable[str]) -> list[str]:
    """The success criteria ("1.4.3") named by axe tags ("wcag143"), in WCAG order."""
    found = set()
    for tag in tags:
        match = _CRITERION_TAG.match(tag)
        if match:
            found.add(".".join(match.groups()))
    return sorted(found, key=criterion_sort_key)


def criterion_sort_key(number: str) -> tuple[int, ...]:
    """Sort "1.4.10" after "1.4.9"."""
    return tuple(int(part) for part in number.split("."))


def wcag22_only(criteria: Iterable[str]) -> bool:
    """True when the criteria are all new in WCAG 2.2, so beyond the legal baseline (2.1)."""
    numbers = list(criteria)
    return bool(numbers) and all(
        number in CRITERIA and CRITERIA[number].since == "2.2" for number in numbers
    )
