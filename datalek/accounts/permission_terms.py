"""The words of a permission: every ``Action`` an actor can be refused, and the refusal.

The value of an ``Action`` is the code the audit trail records (``refused`` entries name it in
``attempted``; ``datalek.accounts.audit_labels`` gives each a Dutch label). The rule of each action
lives in the permission module of its stage (``permission_intake`` … ``permission_accounts``);
``datalek.accounts.permissions`` is the entry point that asks them.
"""

from __future__ import annotations

from enum import StrEnum


class PermissionDenied(PermissionError):
    """The actor may not do this. ``message`` is Dutch, for the user."""

    def __init__(self, action: str, message: str = "Je hebt geen toegang tot deze gegevens."):
        super().__init__(action)
        self.action = action
        self.message = message


class Action(StrEnum):
    """Everything an actor can be refused. The value is the code the audit trail records."""

    # the employee's report
    REPORT = "incident.create"
    LIST_OWN_REPORTS = "incident.list_own"
    READ_INCIDENT = "incident.read"
    #: the reporter's name and address, for the FG who may contact them
    READ_REPORTER = "incident.reporter"
    SUPPLEMENT = "incident.supplement"
    REPORT_DRAFT = "report.draft"
    # the FG's work on one incident
    CHANGE_STATUS = "incident.status"
    READ_ASSESSMENT = "assessment.read"
    SAVE_ASSESSMENT = "assessment.save"
    RECORD_DECISION = "decision.record"
    READ_DECISION = "decision.read"
    READ_COMPLETENESS = "register.read"
    DRAFT_NOTIFICATION = "authority.concept"
    READ_NOTIFICATIONS = "authority.read"
    RECORD_NOTIFICATION = "authority.initial"
    RECORD_SUPPLEMENT = "authority.supplement"
    RECORD_WITHDRAWAL = "authority.withdrawal"
    READ_INFORMING = "subjects.read"
    RECORD_SAFETY_CHECK = "subjects.safety_check"
    MAKE_LETTER = "subjects.letter"
    RECORD_NOTICE = "subjects.notice"
    RECORD_PUBLIC_NOTICE = "subjects.public_notice"
    #: the informing list: families, persons, deviations and each family's safety
    MANAGE_HOUSEHOLDS = "subjects.households"
    ADD_MEASURE = "measure.add"
    CHANGE_MEASURE = "measure.status"
    READ_MEASURES = "measure.read"
    #: files attached to an incident as evidence (screenshots, the e-mail, the processor's report)
    ATTACH_EVIDENCE = "evidence.attach"
    READ_EVIDENCE = "evidence.read"
    #: what the organisation learned from an incident (recorded when it is closed)
    READ_LESSONS = "lesson.read"
    #: which processor or partner an incident involved, in which role, and its moments (#16)
    LINK_PARTIES = "incident.parties"
    #: merging a duplicate report into its main incident, and undoing it (#16)
    MERGE_INCIDENTS = "incident.merge"
    #: linking two incidents of one organisation that belong together, and removing the link (#16)
    LINK_INCIDENTS = "incident.link"
    #: the chain of an incident: its members (organisation and reference only), linked incidents
    #: made for other organisations, existing ones added (#16); an FG of both sides
    CHAIN_INCIDENTS = "incident.chain"
    #: which partner or controller was told about an incident, and their reply (#16)
    PARTNER_NOTICES = "incident.partner_notices"
    # the FG's lists
    SEE_QUEUE = "incident.queue"
    LIST_DEPARTMENTS = "incident.departments"
    SEE_REVIEWS = "subjects.reviews"
    SEE_OVERDUE_MEASURES = "measure.overdue"
    VIEW_REGISTER = "register.view"
    EXPORT_REGISTER = "register.export"
    # figures, never rows
    SEE_OVERVIEW = "stats.overview"
    SEE_DASHBOARD = "stats.dashboard"
    SEE_DEPARTMENT = "stats.department"
    MAKE_ANNUAL_REPORT = "annual_report.generate"
    # administration
    SEE_ALL_ORGANISATIONS = "organisation.list_all"
    CREATE_ORGANISATION = "organisation.create"
    CREATE_USER = "user.create"
    LIST_USERS = "user.list"
    READ_USER = "user.read"
    FIND_USER = "user.find"
    ENABLE_USER = "user.enable"
    DISABLE_USER = "user.disable"
    SET_PASSWORD = "user.password"
    #: one's own job title and phone (the notifier in a concept AP-melding)
    SET_OWN_CONTACT = "user.contact"
    CHANGE_ROLE = "user.role"
    #: the FG role is given only by invitation, or by the operator on the server
    GRANT_DPO = "user.grant_dpo"
    INVITE_DPO = "invitation.dpo"
    INVITE_DEPUTY = "invitation.deputy"
    LIST_DPO_TEAM = "user.list_dpo"
    SEND_RESET_LINK = "invitation.reset"
    PRINT_LINK = "invitation.print"
    CHANGE_DPO_CONTACT = "organisation.dpo_contact"
    #: the deputy FG, management contact and reminder points of the notification period
    REMINDER_SETTINGS = "organisation.reminders"
    #: the organisation's letter texts per kind of reader (versioned)
    LETTER_TEMPLATES = "organisation.letter_templates"
    #: the organisation's processors and partners: read, add, change, end, import (#16)
    MANAGE_PARTIES = "organisation.parties"
    EXPORT_PARTIES = "organisation.parties_export"
    #: links to report without an account, for a processor, partner or group of staff (#16)
    MANAGE_REPORT_LINKS = "organisation.report_links"
    #: the small-number threshold of the organisation's figures (never below the installation's)
    SMALL_NUMBER = "organisation.small_number"
    #: the FG's narrative and theme summaries of a year, for the board (and the lessons they sum up)
    WRITE_NARRATIVE = "narrative.write"
    READ_RETENTION = "retention.read"
    SET_RETENTION = "retention.set"
    LIST_RETENTION_DUE = "retention.list"
    PURGE = "retention.purge"
    VERIFY_AUDIT = "audit.verify"
    READ_AUDIT = "audit.read"
    SETUP = "setup"
