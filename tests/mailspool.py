"""A mail server for tests with real workers: each message a file in ``TEST_MAIL_SPOOL``.

Two faults, set by the test through the worker's environment:
``TEST_MAIL_REFUSE`` (a file holding a number): that many sends fail, as a mail server timing
out would, before messages are taken; ``TEST_MAIL_STALL`` (a path): after the first message is
written the send touches that path and hangs, so that the test can kill the worker between
sending and recording.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class SpoolBackend(BaseEmailBackend):
    def send_messages(self, messages):
        refuse = os.environ.get("TEST_MAIL_REFUSE")
        if refuse and int(Path(refuse).read_text() or 0) > 0:
            Path(refuse).write_text(str(int(Path(refuse).read_text()) - 1))
            raise TimeoutError("mail server timed out")
        spool = Path(os.environ["TEST_MAIL_SPOOL"])
        for message in messages:
            (spool / f"{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
            stall = os.environ.get("TEST_MAIL_STALL")
            if stall and not Path(stall).exists():
                Path(stall).touch()
                time.sleep(3600)
        return len(messages)


def spooled(spool: Path) -> list[str]:
    """The Message-IDs of what was sent, one per message."""
    ids = []
    for path in sorted(spool.glob("*.eml")):
        for line in path.read_text().splitlines():
            if line.lower().startswith("message-id:"):
                ids.append(line.split(":", 1)[1].strip())
    return ids
