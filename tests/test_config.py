"""Configuration errors: exit code 2 and a message that names the file, the key and the line."""

import pytest

from core import config
from nachtwacht.demo import DEMO_CONFIG
from tests.helpers import nachtwacht


def write(tmp_path, text: str):
    path = tmp_path / "site.toml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = '[site]\nname = "Test"\nstart_urls = ["http://127.0.0.1:9/"]\n'


def test_a_good_config_loads_with_tasks_and_letters(tmp_path):
    site = config.load(write(tmp_path, GOOD + '[[task]]\nid = "p"\nname = "Paspoort"\n'
                             'match = ["/paspoort"]\n[[letter]]\nurl = "/kort"\n'))
    assert site.name == "Test" and site.allowed_domains == ["127.0.0.1"]
    assert [t.id for t in site.tasks] == ["p"]
    assert site.absolute(site.letters[0].url) == "http://127.0.0.1:9/kort"


def test_the_demo_config_loads():
    site = config.load(DEMO_CONFIG)
    assert site.tasks and site.letters


@pytest.mark.parametrize("text, expected", [
    (GOOD + "colour = 1\n", "site.toml:4: site.colour: onbekende sleutel"),
    (GOOD + "max_pages = \"veel\"\n", "site.toml:4: site.max_pages: moet een geheel getal zijn"),
    ('[site]\nstart_urls = ["ftp://x/"]\n', "site.toml:2: start_urls: 'ftp://x/' is geen http(s)-adres"),
    (GOOD + '[[task]]\nid = "x"\nname = "X"\nmatch = ["(("]\n', "site.toml:7: task[0].match: taak 'x'"),
    ("task = []\n" + GOOD, "site.toml:1: task: de lijst met toptaken is leeg"),
    (GOOD + '[[task]]\nname = "X"\n', "mist 'id'"),
    ("[site\n", "geen geldige TOML"),
    (GOOD + '[[letter]]\nurl = "http://[x"\n', "site.toml:5: letter[0].url: 'http://[x' is geen"),
])
def test_config_errors_name_file_key_and_line(tmp_path, text, expected):
    with pytest.raises(config.ConfigError) as error:
        config.load(write(tmp_path, text))
    assert expected in str(error.value)


def test_config_error_on_the_command_line_is_exit_2_without_traceback(tmp_path):
    path = write(tmp_path, GOOD + "colour = 1\n")
    done = nachtwacht("run", "--config", path, "--out", tmp_path / "out")
    assert done.returncode == 2
    assert done.stderr.strip() == f"nachtwacht: {path}:4: site.colour: onbekende sleutel " \
        "(bekend: " + ", ".join(config.SCHEMA["site"]) + ")"


def test_missing_config_file_is_exit_2(tmp_path):
    done = nachtwacht("run", "--config", tmp_path / "nope.toml")
    assert done.returncode == 2 and "bestand niet gevonden" in done.stderr


def test_run_without_url_or_config_is_exit_2(tmp_path):
    done = nachtwacht("run", "--out", tmp_path)
    assert done.returncode == 2 and "START_URL" in done.stderr


def test_an_error_in_the_second_task_names_the_second_tasks_line(tmp_path):
    path = tmp_path / "site.toml"
    path.write_text('[site]\nstart_urls = ["https://www.voorbeeldstad.nl/"]\n\n'
                    '[[task]]\nid = "a"\nname = "A"\nrank = 1\n\n'
                    '[[task]]\nid = "b"\nname = "B"\nrank = "twee"\n', encoding="utf-8")
    with pytest.raises(config.ConfigError) as error:
        config.load(path)
    assert str(error.value).startswith(f"{path}:12: task[1].rank:")


def test_a_bad_pattern_in_the_second_task_names_its_line(tmp_path):
    path = tmp_path / "site.toml"
    path.write_text('[site]\nstart_urls = ["https://www.voorbeeldstad.nl/"]\n\n'
                    '[[task]]\nid = "a"\nname = "A"\nmatch = ["/a"]\n\n'
                    '[[task]]\nid = "b"\nname = "B"\nmatch = ["/b("]\n', encoding="utf-8")
    with pytest.raises(config.ConfigError) as error:
        config.load(path)
    assert str(error.value).startswith(f"{path}:12: task[1].match:")
