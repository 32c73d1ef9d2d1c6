"""Access to staging and protected sites: extra request headers, cookies and HTTP basic auth.

The configuration holds only names of environment variables for secrets (``password_env``,
and header or cookie values written as ``$NAME``); the values are read when the run starts
and never written to the database, the log or the report.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field

from core.config import ConfigError


@dataclass
class Access:
    headers: dict[str, str] = field(default_factory=dict)   # includes Authorization and Cookie

    def __bool__(self) -> bool:
        return bool(self.headers)


def _value(raw: str, what: str, environ) -> str:
    raw = raw.strip()
    if raw.startswith("$"):
        name = raw[1:]
        if name not in environ:
            raise ConfigError(f"access.{what}: omgevingsvariabele {name} is niet gezet")
        return environ[name]
    return raw


def _pair(item: str, separator: str, what: str) -> tuple[str, str]:
    name, sep, value = item.partition(separator)
    if not sep or not name.strip():
        raise ConfigError(f"access.{what}: '{item.split(separator)[0]}…' moet de vorm "
                          f"'naam{separator} waarde' hebben")
    return name.strip(), value


def described(settings: dict) -> dict:
    """The ``[access]`` settings without a single value: each header and cookie name with the
    environment variable it is read from (or "(vaste waarde)"), safe to store and show."""
    def source(value: str) -> str:
        return value.strip() if value.strip().startswith("$") else "(vaste waarde)"

    described = {key: {name.strip(): source(value) for name, _, value in
                       (item.partition(sep) for item in settings.get(key) or [])}
                 for key, sep in (("headers", ":"), ("cookies", "=")) if settings.get(key)}
    if settings.get("username") or settings.get("password_env"):
        described["password_env"] = settings.get("password_env")
    return described


def resolve(settings: dict, environ=None) -> Access:
    """The headers to send to the site's own domains, secrets read from the environment."""
    environ = os.environ if environ is None else environ
    headers = {}
    for item in settings.get("headers") or []:
        name, value = _pair(item, ":", "headers")
        headers[name] = _value(value, "headers", environ)
    cookies = [f"{name}={_value(value, 'cookies', environ)}"
               for name, value in (_pair(c, "=", "cookies") for c in settings.get("cookies") or [])]
    if cookies:
        headers["Cookie"] = "; ".join(cookies)
    if settings.get("username") or settings.get("password_env"):
        if not settings.get("password_env"):
            raise ConfigError("access.password_env: geef de naam van de omgevingsvariabele "
                              "met het wachtwoord")
        password = _value("$" + settings["password_env"], "password_env", environ)
        token = f"{settings.get('username', '')}:{password}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(token).decode("ascii")
    return Access(headers=headers)


def prepare_browser(driver, settings: dict, environ=None) -> None:
    """Give a Chromium WebDriver the same headers (call once after creating the driver).

    Chromium sends them with every request of the page; the audit browser resolves only the
    site's own hosts (audits/browser.py), so they do not reach third parties either.
    """
    access = resolve(settings, environ)
    if access:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": access.headers})
