"""An audit is reused only when nothing that shapes it changed (no browser needed)."""

from __future__ import annotations

import dataclasses

import pytest

from audits import axe_settings
from audits.axe import AxeSettings
from audits.axe_stage import settings_for
from audits.browser import default_block
from core.config import load

BASE = AxeSettings(browser="Chromium 156.0.8078.114", hosts=["gemeente.nl"],
                   block=["tracker.nl"], access={"headers": ["X-Test: $TOKEN"]})


def changed(**what) -> bool:
    return dataclasses.replace(BASE, **what).fingerprint() != BASE.fingerprint()


def test_the_same_settings_give_the_same_fingerprint():
    assert dataclasses.replace(BASE).fingerprint() == BASE.fingerprint()
    assert not changed(page_timeout=5, script_timeout=9)   # how long, not what is judged


@pytest.mark.parametrize("what", [
    {"tags": ["wcag2a"]}, {"disable": ["region"]}, {"exclude": ["#cookies"]},
    {"hosts": ["www.gemeente.nl"]}, {"block": []}, {"block": ["tracker.nl", "stats.nl"]},
    {"access": {}}, {"access": {"headers": ["X-Test: $OTHER"]}}, {"locale": "en"},
    {"browser": "Chromium 157.0.1.2"},
])
def test_what_shapes_an_audit_changes_the_fingerprint(what):
    assert changed(**what)


def test_a_new_chromium_build_of_the_same_major_version_keeps_the_audits():
    assert not changed(browser="Chromium 156.0.9999.1")


def test_another_axe_core_or_audit_script_changes_the_fingerprint(tmp_path, monkeypatch):
    script = tmp_path / "axe.min.js"
    script.write_text(axe_settings.BUNDLED_SCRIPT.read_text(encoding="utf-8") + "\n// patched")
    assert changed(script=str(script))
    before = BASE.fingerprint()
    monkeypatch.setattr(axe_settings, "RUN_SCRIPT", axe_settings.RUN_SCRIPT + "\n// another audit script")
    assert BASE.fingerprint() != before


def test_a_secret_in_access_never_shows_in_the_fingerprint():
    secret = dataclasses.replace(BASE, access={"headers": ["Authorization: Bearer geheim123"]})
    assert "geheim" not in secret.fingerprint() and len(secret.fingerprint()) == 16


def test_the_browser_table_sets_the_block_list(tmp_path):
    path = tmp_path / "site.toml"
    path.write_text('[site]\nstart_urls = ["https://www.gemeente.nl/"]\n', encoding="utf-8")
    assert settings_for(load(path)).block == default_block()
    path.write_text('[site]\nstart_urls = ["https://www.gemeente.nl/"]\n'
                    '[browser]\nblock = ["*.tracker.nl"]\n', encoding="utf-8")
    settings = settings_for(load(path), "Chromium 156.0.1.2")
    assert settings.block == ["*.tracker.nl"] and settings.browser == "Chromium 156.0.1.2"
    path.write_text('[site]\nstart_urls = ["https://www.gemeente.nl/"]\n[browser]\nblock = []\n',
                    encoding="utf-8")
    assert settings_for(load(path)).block == []
