"""Bad configuration, more of it: every case is exit 2 with one line naming file, key and line."""

from __future__ import annotations

import pytest

from core import config
from tests.helpers import nachtwacht

SITE = '[site]\nname = "Test"\nstart_urls = ["http://127.0.0.1:9/"]\n'


def write(tmp_path, text: str | bytes):
    path = tmp_path / "site.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text, expected", [
    (SITE + "max_pages = 10\n[site]\n", "site.toml:5: geen geldige TOML"),        # table twice
    ('[site]\nname = "Test\n', "site.toml:2: geen geldige TOML"),                  # open string
    (SITE + "max_pages = 0\n", "site.toml:4: site.max_pages: moet minstens 1 zijn"),
    (SITE + "timeout = -1\n", "site.toml:4: site.timeout: moet minstens 0.1 zijn"),
    (SITE + "delay = -0.5\n", "site.toml:4: site.delay: moet minstens 0 zijn"),
    (SITE + "max_query_variants = 0\n", "site.toml:4: site.max_query_variants: moet minstens"),
    (SITE + "max_pages = true\n", "site.toml:4: site.max_pages: moet een geheel getal zijn"),
    (SITE + 'allowed_domains = "127.0.0.1"\n', "site.toml:4: site.allowed_domains: moet een"),
    ('site = "Test"\n', "site.toml:1: site: moet een tabel [site] zijn"),
    ('[site]\nstart_urls = ["javascript:alert(1)"]\n', "site.toml:2: start_urls: 'javascript:"),
    ('[site]\nstart_urls = ["http://"]\n', "site.toml:2: start_urls: 'http://' is geen http(s)"),
    ('[site]\nstart_urls = []\n', "site.toml:2: site.start_urls: ontbreekt"),
    (SITE + '[[task]]\nid = "a"\nname = "A"\nrank = "1"\n', "site.toml:7: task[0].rank: moet een"),
    (SITE + '[[task]]\nid = "a"\nname = "A"\nmatch = ["[0-9"]\n', "site.toml:7: task[0].match: taak 'a'"),
    (SITE + '[[letter]]\nnote = "brief"\n', "[[letter]] nummer 1 mist 'url'"),
    (SITE + '[axe]\ntags = "wcag2a"\n', "site.toml:5: axe.tags: moet een lijst met teksten zijn"),
    (b'[site]\nname = "Gemeente \xe9"\n', "site.toml: kan het bestand niet lezen"),
])
def test_bad_configuration_is_named_precisely(tmp_path, text, expected):
    with pytest.raises(config.ConfigError) as error:
        config.load(write(tmp_path, text))
    assert expected in str(error.value)
    assert "\n" not in str(error.value)


def test_a_folder_given_as_config_is_a_clear_error(tmp_path):
    with pytest.raises(config.ConfigError, match="kan het bestand niet lezen"):
        config.load(tmp_path)


@pytest.mark.parametrize("args", [
    ["run", "ftp://example.org/"],
    ["run", "javascript:alert(1)"],
    ["run", "http://127.0.0.1:9/", "--max-pages", "0"],
])
def test_bad_command_line_input_is_exit_2_in_one_line(tmp_path, args):
    done = nachtwacht(*args, "--out", tmp_path / "out")
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()          # nothing was started


def test_a_toml_syntax_error_on_the_command_line_names_the_line(tmp_path):
    path = write(tmp_path, SITE + "max_pages = = 3\n")
    done = nachtwacht("run", "--config", path, "--out", tmp_path / "out")
    assert done.returncode == 2
    assert done.stderr.startswith(f"nachtwacht: {path}:4: geen geldige TOML")
