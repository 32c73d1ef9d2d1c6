"""The optional webhook: a small JSON message when the score drops or a top task or letter
URL breaks. A POST to the configured URL is the only request nachtwacht sends that is not
GET or HEAD, and it goes nowhere else."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from urllib.parse import urlsplit

log = logging.getLogger(__name__)


def message(results: dict) -> dict | None:
    """The notification for this run, or None when nothing got worse."""
    changes = results.get("changes") or {}
    score = (results.get("score") or {}).get("site")
    previous = changes.get("previous_score")
    reasons = []
    if score is not None and previous is not None and score < previous:
        reasons.append(f"de sitescore daalde van {previous:.1f} naar {score:.1f}")
    tasks = [t.get("name") or t["id"] for t in changes.get("tasks_broken") or []]
    letters = [letter["url"] for letter in changes.get("letters_broken") or []]
    if tasks:
        reasons.append("toptaken werken niet meer: " + ", ".join(tasks))
    if letters:
        reasons.append("adressen uit brieven werken niet meer: " + ", ".join(letters))
    if not reasons:
        return None
    run = results["run"]
    return {"site": run.get("site"), "run": run.get("id"), "started": run.get("started"),
            "score": score, "previous_score": previous, "reasons": reasons,
            "tasks_broken": tasks, "letters_broken": letters,
            "text": f"nachtwacht {run.get('site')}: " + "; ".join(reasons)}


def send(url: str, body: dict, timeout: float = 10) -> bool:
    """POST ``body`` as JSON; a failure is logged and never fails the run."""
    request = urllib.request.Request(
        url, data=json.dumps(body, ensure_ascii=False).encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError) as error:
        # The host only: the webhook's path often holds its secret token.
        log.warning("Melding naar %s mislukt: %s", urlsplit(url).hostname, error)
        return False


def notify(webhook_url: str | None, results: dict) -> dict | None:
    """Send the run's notification when there is one and a webhook is configured."""
    body = message(results) if webhook_url else None
    if body:
        send(webhook_url, body)
    return body
