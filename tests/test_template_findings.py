"""Findings in the shared template are found once, with the number of pages they are on."""

from audits.template_findings import template_findings


def page(url: str, *findings: tuple[str, str, str], audited: bool = True) -> dict:
    return {"url": url, "audited": audited, "violations": [
        {"rule": rule, "impact": "serious", "wcag": ["1.1.1"], "elements": [
            {"target": target, "html": html}]} for rule, target, html in findings]}


LOGO = ("image-alt", "header > img", '<img src="/logo.png">')
MENU = ("color-contrast", "nav a", '<a href="/">Home</a>')


def test_the_same_element_failing_on_most_pages_is_one_template_finding():
    pages = [page(f"http://a.nl/{n}", LOGO, *( [MENU] if n % 2 else [] )) for n in range(10)]
    pages.append(page("http://a.nl/eigen", ("image-alt", "main img", '<img src="/foto.jpg">')))
    found = template_findings(pages)
    assert [(f["rule"], f["pages"]) for f in found] == [("image-alt", 10), ("color-contrast", 5)]
    assert found[0]["share"] == round(10 / 11, 3)
    assert len(found[0]["example_pages"]) == 5


def test_a_few_pages_alike_are_not_a_template():
    pages = [page(f"http://a.nl/{n}") for n in range(30)]
    pages += [page(f"http://a.nl/x{n}", LOGO) for n in range(4)]     # 4 of 34: under 20 %
    assert template_findings(pages) == []


def test_pages_not_audited_do_not_count():
    pages = [page(f"http://a.nl/{n}", LOGO, audited=n < 3) for n in range(10)]
    [finding] = template_findings(pages)
    assert finding["pages"] == 3 and finding["share"] == 1.0
