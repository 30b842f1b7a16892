"""Notifications: telling people (inbox, e-mail) and systems (signed webhooks) what happened.

- ``messages``: the catalogue of message keys, each in en and zh-CN.
- ``preferences``: per user and channel, immediate / digest / off.
- ``notify``: ``notify(session, users=..., ...)``, inbox rows and e-mail jobs in one transaction.
- ``inbox``: a user's own notifications, paged, unread count, marking read.
- ``live``: waking the ``notifications`` subscription after a commit.
- ``email``: the e-mail jobs (aiosmtplib) and the daily digest.
- ``webhooks`` and ``delivery``: endpoints, fan-out by event type and scope, signed delivery
  jobs, dead letters and replay.
- ``alerts``: ``alert_changed``, what the alert service calls on every change of an alert.
"""
