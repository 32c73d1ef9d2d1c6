"""Reading a statement as Dutch pages write it: dates, status, ages, e-mail addresses."""

from __future__ import annotations

from datetime import date

import pytest

from audits.statement import (
    age_problems,
    email_ok,
    months_before,
    read_date,
    read_status,
    statement_dates,
)


@pytest.mark.parametrize("text, expected", [
    ("opgesteld op 12 maart 2024", date(2024, 3, 12)),
    ("12-03-2024", date(2024, 3, 12)),
    ("bijgewerkt: 1 februari 2026", date(2026, 2, 1)),
    ("herzien op 1 feb. 2026", date(2026, 2, 1)),
    ("datum: 12/03/2024", date(2024, 3, 12)),
    ("2024-03-12", date(2024, 3, 12)),
    ("onderzocht in september 2023", date(2023, 9, 1)),
    ("Opgesteld op 3 MEI 2025", date(2025, 5, 3)),
    ("31-02-2024 bestaat niet", None),
    ("geen datum hier", None),
])
def test_dutch_dates_are_read(text, expected):
    assert read_date(text) == expected


def test_the_cue_word_nearest_a_date_says_what_the_date_is():
    text = ("Deze verklaring is op 08-09-2020 getekend voor 'gezien en akkoord'. De actualiteit "
            "is voor het laatst herzien op 15-12-2020. Het onderzoek is uitgevoerd op 10 november "
            "2019 door Bureau X. De afwijking is opgelost voor 1 maart 2027. Op 5 mei 2021 was "
            "het feest.")
    assert statement_dates(text, date(2026, 12, 1)) == {"updated": date(2020, 12, 15),
                                                        "research_date": date(2019, 11, 10)}


def test_a_date_in_the_future_is_no_update():
    text = "Deze verklaring wordt bijgewerkt op 1 januari 2030."
    assert statement_dates(text, date(2026, 12, 1))["updated"] is None


@pytest.mark.parametrize("text, status", [
    ("De status van deze website is: C - eerste maatregelen genomen ? - Ga naar", "C"),
    ("Nalevingsstatus: voldoet gedeeltelijk", "B"),
    ("Status: A (voldoet volledig)", "A"),
    ("Deze site voldoet volledig aan de eisen.", "A"),
    ("Voor status A en B moet je een onderzoek hebben.", None),
    ("Er zijn geen maatregelen genomen.", "D"),
])
def test_the_status_is_read_from_the_register_wording(text, status):
    assert read_status(text) == status


def test_months_are_calendar_months():
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 12) == date(2025, 1, 15)
    assert months_before(date(2026, 12, 1), 36) == date(2023, 12, 1)


@pytest.mark.parametrize("updated, research, status, problems", [
    (date(2026, 6, 1), date(2025, 1, 1), "B", []),
    (date(2025, 12, 10), None, "B", ["older-than-11-months"]),
    (date(2025, 11, 30), None, "B", ["older-than-12-months"]),
    (date(2026, 6, 1), date(2023, 11, 30), "A", ["research-older-than-36-months"]),
    (date(2026, 6, 1), None, "C", []),
    (date(2026, 5, 31), None, "C", ["c-becomes-d"]),
    (None, None, "C", []),
])
def test_age_problems_are_measured_against_the_night_of_the_run(updated, research, status,
                                                                 problems):
    assert age_problems(updated, research, status, date(2026, 12, 1)) == problems


@pytest.mark.parametrize("value, ok", [
    ("mailto:toegankelijkheid@gemeente.nl", True),
    ("mailto:a@gemeente.nl,b@gemeente.nl?subject=Toegankelijkheid", True),
    ("MAILTO:info%40gemeente.nl", True),
    ("mailto:info@gemeente", False),
    ("mailto:", False),
    ("mailto:info at gemeente.nl", False),
    ("info@gemeente.nl", True),
])
def test_email_addresses_must_be_sendable(value, ok):
    assert email_ok(value) is ok
