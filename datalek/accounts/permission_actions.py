"""Who may do what that follows a decision (the actions stage): the AP notification and its
supplements, informing the people involved (safety check, letters, notices, the informing list
of families and persons), measures, and the FG's lists of reviews and overdue measures and her
organisation's letter templates. Always the FG of the incident's organisation.

(The ``Action`` enum itself is in ``permission_terms``.)
"""

from __future__ import annotations

from datalek.accounts.permission_roles import dpo_lists, dpo_of_org, handles, rule_table
from datalek.accounts.permission_terms import Action

#: The FG of the incident's organisation, never its reporter (see also ``permission_handling``).
HANDLER_ACTIONS = (
    Action.DRAFT_NOTIFICATION,
    Action.READ_NOTIFICATIONS,
    Action.RECORD_NOTIFICATION,
    Action.RECORD_SUPPLEMENT,
    Action.RECORD_WITHDRAWAL,
    Action.READ_INFORMING,
    Action.RECORD_SAFETY_CHECK,
    Action.MAKE_LETTER,
    Action.RECORD_NOTICE,
    Action.RECORD_PUBLIC_NOTICE,
    Action.MANAGE_HOUSEHOLDS,
    Action.ADD_MEASURE,
    Action.CHANGE_MEASURE,
    Action.READ_MEASURES,
)

RULES = rule_table(
    (HANDLER_ACTIONS, handles),
    ((Action.SEE_REVIEWS, Action.SEE_OVERDUE_MEASURES), dpo_lists),
    (Action.LETTER_TEMPLATES, dpo_of_org),
)
