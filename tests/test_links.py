"""``ui/links.py`` is the one place that hands HTML to ``st.html``: whatever text reaches it is
escaped, and it carries no script. Its callers pass only text the app made (a fixed label, a
year, a URL path with a random token), never what a user typed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ui import links

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def drawn(monkeypatch) -> list[str]:
    bodies: list[str] = []
    monkeypatch.setattr(links.st, "html", bodies.append)
    return bodies


@pytest.mark.parametrize(
    ("href", "label"),
    [
        ('/x" onmouseover="alert(1)', "Download"),
        ("/download/abc", "<script>alert(1)</script>"),
    ],
)
def test_href_and_label_are_escaped(drawn, href, label):
    links.link_button(href, label)
    [body] = drawn
    assert "<script" not in body and '" onmouseover=' not in body
    assert body.count("<a ") == 1 and body.endswith("</a>")


@pytest.mark.parametrize("href", ["javascript:alert(1)", "https://elders.example/", "//elders.example/x"])
def test_only_a_path_on_this_site(drawn, href):
    with pytest.raises(ValueError):
        links.link_button(href, "Verder")
    assert drawn == []


def test_the_sign_out_form_posts_to_the_route_and_has_no_script(drawn):
    links.sign_out_form()
    [body] = drawn
    assert '<form method="post" action="/auth/signout">' in body and "<script" not in body


def test_st_html_is_used_nowhere_else():
    users = sorted(
        str(p.relative_to(ROOT))
        for folder in ("app.py", "pages", "ui", "web")
        for p in ([ROOT / folder] if folder.endswith(".py") else (ROOT / folder).glob("*.py"))
        if re.search(r"\bst\.html\(", p.read_text(encoding="utf-8"))
    )
    assert users == ["ui/links.py"]
