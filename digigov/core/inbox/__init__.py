"""The staff inbox (待办 / 待阅 / 已办): task rows the domains write in their moves' transactions.

Domains declare their kinds (and optionally a rebuilder) in ``digigov/<domain>/inbox.py`` and call
``inbox_open`` / ``inbox_close`` / ``inbox_reschedule`` (services.py); pages read ``inbox_for`` (selectors.py).
See docs/architecture.md "Staff inbox" and ADR 0010.
"""
