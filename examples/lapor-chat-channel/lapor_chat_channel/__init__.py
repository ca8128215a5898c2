"""A JSON chat-webhook channel for Lapor, installed as a separate package."""

from __future__ import annotations

import json
import re

from lapor.channels import (
    Channel,
    ChannelError,
    FollowUp,
    Ignored,
    Inbound,
    Outcome,
    Reply,
    Submission,
)

# "LAP-7K3M9QXT2B PIN 04821937 text": a follow-up, with the PIN of the reply
TRACKING_AT_START = re.compile(
    r"^\s*(LAP-[0-9A-Za-z]{10})\b[\s:,.-]*(?:PIN[\s:]*(\d{8})\b[\s:,.-]*)?(.*)$", re.S | re.I
)


class ChatChannel(Channel):
    kind = "plugin"

    def parse(self, inbound: Inbound) -> Submission | FollowUp | Ignored:
        update = inbound.json()
        message = update.get("message") if isinstance(update, dict) else None
        if not isinstance(message, dict):
            raise ChannelError({"message": ["Expected a chat message object."]})
        text = message.get("text")
        if text is None:
            return Ignored("not a text message")  # stickers, joins, ...
        if not isinstance(text, str) or not text.strip():
            raise ChannelError({"message.text": ["Expected some text."]})
        chat_id = (message.get("chat") or {}).get("id")
        message_id = f"{chat_id}:{message.get('message_id', update.get('update_id'))}"
        follow = TRACKING_AT_START.match(text)
        if follow:
            tracking_id, pin, rest = follow.groups()
            return FollowUp(tracking_id.upper(), rest, message_id=message_id, pin=pin)
        first_line = text.strip().splitlines()[0]
        title = first_line[:80] if len(first_line) >= 5 else "Laporan dari chat"
        sender = message.get("from") or {}
        fields = {"title": title, "description": text.strip()}
        if isinstance(sender.get("first_name"), str):
            fields["reporter"] = {"name": sender["first_name"]}
        return Submission(fields, message_id=message_id)

    def reply(self, outcome: Outcome) -> Reply:
        chat_id = None
        if outcome.inbound is not None:
            try:
                chat_id = outcome.inbound.json()["message"]["chat"]["id"]
            except (ChannelError, KeyError, TypeError):
                pass
        if outcome.result == "rejected":
            text = "Maaf, pesan tidak dapat diproses: " + "; ".join(
                f"{field}: {' '.join(map(str, msgs))}" for field, msgs in outcome.errors.items()
            )
        elif outcome.result == "ignored":
            text = ""
        elif outcome.result == "followed_up":
            text = f"Tambahan untuk laporan {outcome.tracking_id} sudah kami terima."
        else:
            text = f"Laporan diterima. Nomor pelacakan: {outcome.tracking_id}"
            if outcome.pin:  # only the reporter has it: a chat names no phone or email
                text += (f". PIN: {outcome.pin}. Untuk menambah, tulis "
                         f"'{outcome.tracking_id} PIN {outcome.pin} pesan Anda'.")  # fmt: skip
        body = {"method": "sendMessage", "chat_id": chat_id, "text": text,
                "tracking_id": outcome.tracking_id}  # fmt: skip
        status = outcome.status if outcome.result == "rejected" else 200
        return Reply(status, json.dumps(body))
