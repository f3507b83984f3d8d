"""The questions of the AP form that the engine does not weigh but the concept AP-melding
must answer; drawn inside the FG's facts form (``ui.assessment_form``)."""

from __future__ import annotations


def render(prefix: str, errors: dict | None) -> None:
    """The widgets, keyed ``prefix + <Facts field>`` so the facts form collects them."""
