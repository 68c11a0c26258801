"""The values a ticket's fields take: statuses, outcomes, channels, ratings, reasons, escalation
levels and actions, with their labels. tickets.models re-exports each one."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("ticket status", "Submitted")
    ACCEPTED = "accepted", pgettext_lazy("ticket status", "Accepted")
    IN_PROGRESS = "in_progress", pgettext_lazy("ticket status", "In progress")
    RESOLVED = "resolved", pgettext_lazy("ticket status", "Resolved")
    CLOSED = "closed", pgettext_lazy("ticket status", "Closed")
    REJECTED = "rejected", pgettext_lazy("ticket status", "Rejected")
    REOPENED = "reopened", pgettext_lazy("ticket status", "Reopened")


OPEN_STATUSES = frozenset({Status.ACCEPTED, Status.IN_PROGRESS, Status.REOPENED})


class Outcome(models.TextChoices):
    SOLVED = "solved", _("Solved")
    EXPLAINED = "explained", _("Explained (cannot be solved)")


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("Visit")
    WECHAT = "wechat", _("WeChat group")
    HOTLINE = "hotline", _("12345 hotline")
    API = "api", _("API")
    PROACTIVE = "proactive", _("Answer to the office's notice (未诉先办)")


class Rating(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Very satisfied")
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")
    VERY_UNSATISFIED = "very_unsatisfied", _("Very unsatisfied")


BAD_RATINGS = frozenset({Rating.UNSATISFIED, Rating.VERY_UNSATISFIED})
GOOD_RATINGS = frozenset(set(Rating) - BAD_RATINGS)


class RejectReason(models.TextChoices):
    DUPLICATE = "duplicate", _("Duplicate of another problem")
    OUT_OF_SCOPE = "out_of_scope", _("Out of the campaign's scope")
    NOT_GOVERNMENT = "not_government", _("Not a matter for the government")


class EscalationLevel(models.IntegerChoices):
    DIVISION = 0, _("Division")
    BUREAU = 1, _("Bureau leader")
    CITY = 2, _("City leader")
    JOINT_MEETING = 3, _("Monthly joint meeting")


class Action(models.TextChoices):
    SUBMIT = "submit", pgettext_lazy("ticket action", "Submit")
    ACCEPT = "accept", pgettext_lazy("ticket action", "Accept")
    REJECT = "reject", pgettext_lazy("ticket action", "Reject")
    ASSIGN = "assign", pgettext_lazy("ticket action", "Assign")
    TRANSFER = "transfer", pgettext_lazy("ticket action", "Transfer to a department")
    RETURN = "return", pgettext_lazy("ticket action", "Return to the office")
    MERGE = "merge", pgettext_lazy("ticket action", "Merge into another ticket")
    PROGRESS = "progress", pgettext_lazy("ticket action", "Report progress")
    ADD_INFO = "add_info", pgettext_lazy("ticket action", "Add information")
    REQUEST_EXTENSION = "request_extension", pgettext_lazy("ticket action", "Request an extension")
    APPROVE_EXTENSION = "approve_extension", pgettext_lazy("ticket action", "Approve the extension")
    DENY_EXTENSION = "deny_extension", pgettext_lazy("ticket action", "Deny the extension")
    ESCALATE = "escalate", pgettext_lazy("ticket action", "Escalate")
    SUPERVISE = "supervise", pgettext_lazy("ticket action", "Supervise")
    RESOLVE = "resolve", pgettext_lazy("ticket action", "Resolve")
    RATE = "rate", pgettext_lazy("ticket action", "Rate")
    REOPEN = "reopen", pgettext_lazy("ticket action", "Reopen")
    CLOSE = "close", pgettext_lazy("ticket action", "Close")
    REMIND = "remind", pgettext_lazy("ticket action", "Send a reminder")
    FOLLOW_UP = "follow_up", pgettext_lazy("ticket action", "Record the follow-up call")
    URGE = "urge", pgettext_lazy("ticket action", "Urge")
