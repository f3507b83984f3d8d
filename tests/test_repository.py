"""The repository stands on its own: a clone without the team's reading folder next to it
runs and tests, so nothing tracked may read, import or cite that folder."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Spelled in parts, so that this file does not match itself.
FORBIDDEN = ("../" + "shared", "shared" + "/domain", "shared" + "/seeds", "shared" + "/DESIGN")


def tracked_files() -> list[Path]:
    """The files git tracks (what a clone has); without git, every file outside the caches."""
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        skipped = {".git", ".venv", ".cache", "data", "__pycache__", ".pytest_cache", ".ruff_cache"}
        return [p for p in ROOT.rglob("*") if p.is_file() and not skipped & set(p.relative_to(ROOT).parts)]
    return [ROOT / name for name in out.stdout.decode().split("\0") if name]


def references(text: str) -> list[str]:
    return [needle for needle in FORBIDDEN if needle in text]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("see ../" + "shared" + "/DESIGN.md", True),
        ("docs/domain/rules.md §5", False),
        ("in shared" + "/domain/enisa.md", True),
        ("a shared-service organisation", False),
    ],
)
def test_the_check_recognises_a_reference(text, found):
    assert bool(references(text)) is found


def test_no_tracked_file_refers_to_the_teams_reading_folder():
    files = tracked_files()
    assert len(files) > 100, "the check must see the repository"
    offenders = {}
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue  # binary files, or a file deleted in the working tree
        if found := references(text):
            offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}


def test_the_domain_reference_and_the_enisa_table_are_in_the_repository():
    for name in ("rules.md", "enisa.md", "ap-form.md", "youth-care.md", "figures.md"):
        assert (ROOT / "docs" / "domain" / name).is_file(), name
    assert (ROOT / "tests" / "data" / "enisa_examples.csv").is_file()
