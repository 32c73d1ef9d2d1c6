"""The layers of docs/architecture.md point one way: a module imports only from its own layer
or the layers below it, and the report layer asks no judge (audits) for anything but the
EARL document it writes. Read from the source with ast, local imports included."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# top to bottom, as in docs/architecture.md
LAYERS = ("nachtwacht", "reports", "audits", "crawler", "core")
# What reports/ may take from audits/: the EARL document (reports/export.py writes it).
REPORTS_FROM_AUDITS = {"audits.earl"}


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def wrong_arrows(root: Path = ROOT) -> list[str]:
    wrong = []
    for layer in LAYERS:
        for path in sorted((root / layer).rglob("*.py")):
            for module in sorted(imports(path)):
                top = module.split(".")[0]
                if top not in LAYERS:
                    continue
                if LAYERS.index(top) < LAYERS.index(layer):
                    wrong.append(f"{path.relative_to(root)} imports {module} (a layer above)")
                elif layer == "reports" and top == "audits" and not any(
                        module == allowed or module.startswith(allowed + ".")
                        for allowed in REPORTS_FROM_AUDITS) and module != "audits":
                    wrong.append(f"{path.relative_to(root)} imports {module} (judging)")
    return wrong


def test_no_module_imports_from_a_layer_above_it():
    assert wrong_arrows() == []


def test_the_check_finds_an_arrow_that_points_up_and_a_report_that_judges(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "urls.py").write_text("def f():\n    from reports import render\n")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "view.py").write_text(
        "from audits.earl import earl\nfrom audits.evidence import worst\n")
    assert wrong_arrows(tmp_path) == [
        "reports/view.py imports audits.evidence (judging)",
        "reports/view.py imports audits.evidence.worst (judging)",
        "core/urls.py imports reports (a layer above)",
        "core/urls.py imports reports.render (a layer above)"]


def test_the_run_does_not_load_what_only_its_children_or_the_tests_use():
    """Every `nachtwacht` start pays for what it imports: pikepdf is the PDF worker's
    (audits/pdf_worker.py), textstat (and its NLTK) only the tests' reference."""
    script = ("import sys, nachtwacht.cli, nachtwacht.nightly, nachtwacht.run; print(sorted({m.split"
              "('.')[0] for m in sys.modules} & {'nltk', 'textstat', 'pikepdf'}))")
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True, cwd=ROOT)
    assert loaded.stdout.strip() == "[]"
