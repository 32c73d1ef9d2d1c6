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


# --- the model is the description: every key it declares is checked as declared -------------

WRONG = {"str": "1", "int": '"veel"', "number": '"veel"', "bool": '"ja"', "list[str]": '"x"',
         "date": '"maart"', "duration": '"lang"'}
FILLER = {"task": 'id = "a"\nname = "A"\n', "letter": 'url = "/a"\n', "deviation": 'criterion = "1.1.1"\n'}
SITE = '[site]\nstart_urls = ["http://127.0.0.1:9/"]\n'


def table_with(table: str, name: str, value: str) -> tuple[str, str, int]:
    """A config whose ``table`` sets ``name = value`` on its last line: (text, key as named in
    errors, that line)."""
    if table == "site":
        head = "[site]\n" if name == "start_urls" else SITE
        return head + f"{name} = {value}\n", f"site.{name}", head.count("\n") + 1
    if table.startswith("[["):
        plain = table.strip("[]")
        others = "".join(line + "\n" for line in FILLER[plain].splitlines()
                         if not line.startswith(f"{name} ="))
        text = SITE + f"[[{plain}]]\n{FILLER[plain]}\n[[{plain}]]\n{others}{name} = {value}\n"
        return text, f"{plain}[1].{name}", text.count("\n")
    text = SITE + f"[{table}]\n{name} = {value}\n"
    return text, f"{table}.{name}", 4


KEYS = [(table, key) for table, model in config.TABLES.items() for key in config.keys(model).values()]


@pytest.mark.parametrize("table, key", KEYS, ids=[f"{t}.{k.name}" for t, k in KEYS])
def test_a_value_of_the_wrong_type_is_named_with_its_own_line(tmp_path, table, key):
    text, name, line = table_with(table, key.name, WRONG[key.kind])
    path = write(tmp_path, text)
    with pytest.raises(config.ConfigError) as error:
        config.load(path)
    assert str(error.value) == f"{path}:{line}: {name}: moet een {config.TYPE_NAMES[key.kind]} zijn"


BOUNDED = [(table, key) for table, key in KEYS if key.minimum is not None]


@pytest.mark.parametrize("table, key", BOUNDED, ids=[f"{t}.{k.name}" for t, k in BOUNDED])
def test_a_value_under_its_minimum_is_named_and_the_minimum_itself_loads(tmp_path, table, key):
    under = key.minimum - 1 if key.kind == "int" else key.minimum - min(0.5, key.minimum / 2 or 0.5)
    text, name, line = table_with(table, key.name, repr(under))
    path = write(tmp_path, text)
    with pytest.raises(config.ConfigError) as error:
        config.load(path)
    assert str(error.value) == f"{path}:{line}: {name}: moet minstens {key.minimum} zijn"
    text, _, _ = table_with(table, key.name, repr(key.minimum))
    config.load(write(tmp_path, text))


def test_a_missing_required_key_is_named_for_every_list_table(tmp_path):
    for table, model in config.TABLES.items():
        for key in (k for k in config.keys(model).values() if k.required):
            plain = table.strip("[]")
            rest = "".join(line + "\n" for line in FILLER[plain].splitlines()
                           if not line.startswith(f"{key.name} ="))
            path = write(tmp_path, SITE + f"[[{plain}]]\n{rest}")
            with pytest.raises(config.ConfigError) as error:
                config.load(path)
            assert str(error.value) == \
                f"{path}:3: {plain}[0]: [[{plain}]] nummer 1 mist '{key.name}'"


def test_site_config_is_built_from_the_model_with_its_defaults(tmp_path):
    site = config.load(write(tmp_path, GOOD + 'time_budget = "1h30m"\n[[deviation]]\n'
                             'criterion = "1.1.1"\ntarget_date = 2027-03-01\n'))
    for name, key in config.keys(config.SiteConfig).items():
        if name not in ("name", "start_urls", "allowed_domains", "time_budget"):
            assert getattr(site, name) == key.default, name
    assert site.time_budget == 5400.0                   # a duration is kept in seconds
    assert site.deviations[0].target_date == "2027-03-01"   # a date as ISO text
    assert site.axe == {} and site.checks == {}         # plain tables as given


def test_the_axe_settings_take_the_axe_table_with_the_same_defaults():
    from audits.axe import AxeSettings
    plain = AxeSettings()
    for name, key in config.keys(config.Axe).items():
        assert getattr(plain, name) == key.default, name


def test_every_page_check_is_switched_by_a_key_of_checks():
    from audits.checks import PAGE_CHECKS
    switches = config.keys(config.Checks)
    assert {check.setting for check in PAGE_CHECKS} <= set(switches)
    assert all(key.default is True for key in switches.values())
