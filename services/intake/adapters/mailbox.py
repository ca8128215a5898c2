"""The IMAP mailbox intake polls for the email channel (imapclient)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from imapclient import IMAPClient

log = logging.getLogger(__name__)
BATCH = 50


DEFAULT_REJECTED_FOLDER = "Lapor-Ditolak"


def poll(config: dict, handle: Callable[[bytes], int]) -> int:
    """Hand each unseen message to `handle` (which returns the reply status),
    then mark it seen, or, when it was refused (4xx: its refusal is recorded
    by then), move it to IMAP_REJECTED_FOLDER for operators. A message is
    marked or moved only after what it made is committed, so a crash in
    between means it is read again, and its Message-ID makes the second
    reading harmless. Returns how many were handled."""
    host = config.get("IMAP_HOST")
    if not host:
        return 0
    with IMAPClient(
        host, port=int(config.get("IMAP_PORT") or 993), ssl=_true(config.get("IMAP_SSL")),
        timeout=10,
    ) as client:  # fmt: skip
        client.login(str(config.get("IMAP_USER")), str(config.get("IMAP_PASSWORD")))
        rejected = str(config.get("IMAP_REJECTED_FOLDER") or DEFAULT_REJECTED_FOLDER)
        client.select_folder(str(config.get("IMAP_FOLDER") or "INBOX"))
        uids = client.search(["UNSEEN"])[:BATCH]
        handled = 0
        for uid, data in client.fetch(uids, ["BODY.PEEK[]"]).items():
            raw = data.get(b"BODY[]") or b""
            status = handle(raw)
            if status >= 500:
                log.error("email left unseen for a retry", extra={"status": status})
                continue
            if status >= 400:
                move(client, uid, rejected)
            else:
                client.add_flags([uid], [b"\\Seen"])
            handled += 1
        return handled


def move(client: IMAPClient, uid: int, folder: str) -> None:
    """Move one message of the selected folder to `folder` (created when
    missing): MOVE where the server has it, else copy, flag \\Deleted and
    expunge."""
    if not client.folder_exists(folder):
        client.create_folder(folder)
    if client.has_capability("MOVE"):
        client.move([uid], folder)
    else:
        copy_and_delete(client, uid, folder)


def copy_and_delete(client: IMAPClient, uid: int, folder: str) -> None:
    client.copy([uid], folder)
    client.add_flags([uid], [b"\\Deleted"])
    # UID EXPUNGE (UIDPLUS) removes this message only; plain EXPUNGE every deleted one
    client.expunge([uid] if client.has_capability("UIDPLUS") else None)


def _true(value) -> bool:
    return str(value).lower() in ("1", "true", "yes")
