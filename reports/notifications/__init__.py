"""Reminders and notifications: what is due for whom (reminders.py), the digests' delivery and retries
(deliveries.py), one sender per channel (channels.py), and the bell's pages (views.py)."""
