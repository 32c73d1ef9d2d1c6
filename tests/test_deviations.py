"""Deviations ([[deviation]]): validated in the config, put beside tonight's findings."""

from __future__ import annotations

from datetime import date

import pytest

from audits.deviations import deviations
from core.config import ConfigError, Deviation, load

CONFIG = """[site]
start_urls = ["http://127.0.0.1:8000/"]

[[deviation]]
criterion = "1.1.1"
cause = "Oude nieuwsberichten hebben afbeeldingen zonder alt-tekst"
effect = "Blinde bezoekers missen de inhoud van de foto"
measure = "Redactie vult alt-teksten aan"
target_date = 2027-03-01

[[deviation]]
criterion = "{second}"
cause = "Kleuren van de huisstijl"
"""


def write(tmp_path, second: str) -> str:
    path = tmp_path / "site.toml"
    path.write_text(CONFIG.replace("{second}", second), encoding="utf-8")
    return str(path)


def test_deviations_are_read_with_their_target_date(tmp_path):
    config = load(write(tmp_path, "1.4.3"))
    assert [d.criterion for d in config.deviations] == ["1.1.1", "1.4.3"]
    assert config.deviations[0].target_date == "2027-03-01"
    assert config.deviations[1].target_date is None


def test_an_unknown_criterion_is_a_config_error_naming_its_line(tmp_path):
    path = write(tmp_path, "1.4.99")
    with pytest.raises(ConfigError) as error:
        load(path)
    assert str(error.value).startswith(f"{path}:12: deviation[1].criterion: '1.4.99'")


def test_a_target_date_must_be_a_date(tmp_path):
    path = tmp_path / "site.toml"
    path.write_text(CONFIG.replace("{second}", "1.4.3").replace("2027-03-01", '"maart"'),
                    encoding="utf-8")
    with pytest.raises(ConfigError, match=r":9: deviation\[0\]\.target_date: moet een datum"):
        load(path)


def test_deviations_beside_the_findings_flag_passed_dates_and_what_is_missing():
    items = [Deviation("1.4.3", "Huisstijl", "Slecht leesbaar", "Nieuwe kleuren", "2026-06-01"),
             Deviation("1.1.1", "Oude foto's", None, None, "2027-03-01")]
    found = deviations(items, failing=["1.1.1", "2.4.4", "4.1.2"], today=date(2026, 12, 1))
    assert [d["criterion"] for d in found["items"]] == ["1.1.1", "1.4.3"]
    contrast = found["items"][1]
    assert contrast["overdue"] is True and contrast["still_failing"] is False
    photos = found["items"][0]
    assert photos["overdue"] is False and photos["still_failing"] is True
    assert photos["missing_fields"] == ["effect", "measure"]
    assert found["without_deviation"] == ["2.4.4", "4.1.2"]
    assert found["overdue"] == 1 and found["incomplete"] == 1
