"""The IMAP mailbox intake polls for the email channel (imapclient)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from imapclient import IMAPClient

log = logging.getLogger(__name__)
BATCH = 50


def poll(config: dict, handle: Callable[[bytes], int]) -> int:
    """Hand each unseen message to `handle` (which returns the reply status),
    then mark it seen: a message is marked only after its report is committed,
    so a crash in between means it is read again, and its Message-ID makes the
    second reading harmless. Returns how many were handled."""
    host = config.get("IMAP_HOST")
    if not host:
        return 0
    with IMAPClient(
        host, port=int(config.get("IMAP_PORT") or 993), ssl=_true(config.get("IMAP_SSL")),
        timeout=10,
    ) as client:  # fmt: skip
        client.login(str(config.get("IMAP_USER")), str(config.get("IMAP_PASSWORD")))
        client.select_folder(str(config.get("IMAP_FOLDER") or "INBOX"))
        uids = client.search(["UNSEEN"])[:BATCH]
        handled = 0
        for uid, data in client.fetch(uids, ["BODY.PEEK[]"]).items():
            raw = data.get(b"BODY[]") or b""
            status = handle(raw)
            if status >= 500:
                log.error("email left unseen for a retry", extra={"status": status})
                continue
            client.add_flags([uid], [b"\\Seen"])
            handled += 1
        return handled


def _true(value) -> bool:
    return str(value).lower() in ("1", "true", "yes")
