"""E-mail backends for the tests of a reminder run stopped half-way through a batch of e-mails: Django's own
in-memory and file backends, stopped after a given number of messages."""

from __future__ import annotations

import os
import signal

from django.core import mail
from django.core.mail.backends import filebased, locmem

STOP_AFTER = 2  # messages that leave before the process stops


class ErrorAfterTwo(locmem.EmailBackend):
    """The outbox takes two messages, then an unexpected error (a bug, a time limit) stops the sender."""

    def send_messages(self, messages):
        if len(getattr(mail, "outbox", [])) >= STOP_AFTER:
            raise RuntimeError("意外错误：发送进程中断")
        return super().send_messages(messages)


class KilledAfterTwo(filebased.EmailBackend):
    """Messages are written to files in BLUESKY_TEST_MAIL_DIR; after the second the process is killed outright
    (SIGKILL: no exception handler, no ``finally`` runs), as when a machine loses power."""

    sent = 0  # in this process

    def __init__(self, **kwargs):
        super().__init__(file_path=os.environ["BLUESKY_TEST_MAIL_DIR"], **kwargs)

    def send_messages(self, messages):
        count = super().send_messages(messages)
        self.close()  # written out before the kill
        KilledAfterTwo.sent += count
        if KilledAfterTwo.sent >= STOP_AFTER:
            os.kill(os.getpid(), signal.SIGKILL)
        return count
