"""Datalek: report, triage, decide on and account for personal data breaches (AVG art. 33-34).

The domain core. It never imports Streamlit; every SQL statement is in ``datalek.store``. The
sub-packages follow the way an incident travels — ``intake`` (the employee's report),
``triage`` (facts to advice), ``handling`` (the FG's assessment, decision and the incident's
status), ``actions`` (AP notification, informing the people, measures) and ``insight``
(figures, yearly report, register export) — on top of ``accounts`` (who may do what, the audit
trail) and ``store``. ``docs/design.md`` draws the map.
"""

__version__ = "0.13.0"
