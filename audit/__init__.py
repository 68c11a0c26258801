"""The audit record: who changed what, when, from what to what — for every change but a ticket's.

Every change of configuration (master data, coverage, accounts and roles, integrations and their
keys, the calendar, robots and webhooks, campaign settings) writes one immutable `AuditRecord` in
the transaction of the change, the way Zulip writes a RealmAuditLog row for every change to a
realm (github.com/zulip/zulip, zerver/models/realm_audit_logs.py). A ticket's life already has
its own record, tickets.TicketEvent, and dispatches are records of visits, not configuration.

Two ways in, one function underneath (`services.audit_record`):
- the services that change things call it themselves (enterprise create and import, keys,
  webhooks' secrets, office membership, password resets, sign-in unlocks);
- every admin page of the project that changes something inherits `mixins.AuditedAdmin`, which
  records each object the page adds, changes or deletes, inline rows included (but tickets',
  dispatches' and messages' pages, which are records of their own).

This app imports no other app of the project, so every app may write to it.
"""
