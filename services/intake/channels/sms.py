"""SMS to 1708 through Kannel: smsbox's `sms-service` calls
`GET /channels/sms?from=%p&to=%P&text=%a&id=%I&time=%T` for each MO and
sends the answer's body back as the reply SMS.

- `STOP` or `BERHENTI`: no more SMS to this number (notify records it);
- an SMS that starts with a tracking id: a follow-up on that report, taken
  only from the number that made the report (the reply says why otherwise);
  "LAP-... SELESAI" (or BERES, SUDAH SELESAI) confirms the agency's response
  solved it, anything else is more information (on an answered report: the
  reporter's reply, which reopens it);
- anything else: a new report from the sender's number; its category and
  region come from the text, so the reply asks for the city when it is missing.

The same Kannel message id twice (smsbox retrying) makes one report."""

from __future__ import annotations

import re

from lapor.channels import (
    Channel,
    ChannelError,
    FollowUp,
    Inbound,
    OptOut,
    Outcome,
    Reply,
    Submission,
)

STOP_WORDS = {"stop", "berhenti", "unreg", "unsubscribe"}
TRACKING_AT_START = re.compile(r"^\s*(LAP-?[0-9A-Za-z]{10})\b[\s:,.-]*(.*)$", re.S | re.I)
SENDER = re.compile(r"^\+?[0-9]{5,15}$")
# the words that confirm an answered report solved, first after the tracking id
CONFIRMATION = re.compile(r"^(sudah\s+)?(selesai|beres)\b", re.I)
MAX_SMS_TEXT = 2_000  # a long (concatenated) SMS arrives as one text


def _param(inbound: Inbound, name: str) -> str | None:
    values = inbound.query.get(name) or []
    return values[0] if values else None


class SmsChannel(Channel):
    kind = "sms"

    def parse(self, inbound: Inbound) -> Submission | FollowUp | OptOut:
        sender = (_param(inbound, "from") or "").strip()
        text = (_param(inbound, "text") or "").strip()
        errors = {}
        if not SENDER.match(sender):
            errors["from"] = ["Expected the sender's number (%p)."]
        if not text:
            errors["text"] = ["Empty SMS."]
        elif len(text) > MAX_SMS_TEXT:
            errors["text"] = [f"At most {MAX_SMS_TEXT} characters."]
        if errors:
            raise ChannelError(errors)
        kannel_id = (_param(inbound, "id") or "").strip()[:128] or None
        message_id = f"{sender.lstrip('+')}:{kannel_id}" if kannel_id else None
        if text.lower().strip(" .!") in STOP_WORDS:
            return OptOut(sender.lstrip("+"))
        follow = TRACKING_AT_START.match(text)
        if follow:
            tracking_id = follow.group(1).upper()
            if not tracking_id.startswith("LAP-"):
                tracking_id = "LAP-" + tracking_id[3:]
            message = follow.group(2) or text
            kind = "confirmation" if CONFIRMATION.match(follow.group(2)) else "information"
            return FollowUp(tracking_id, message, kind, message_id=message_id, sender=sender)
        words = text.split()
        title = " ".join(words[:8])[:80]
        fields = {
            "title": title if len(title) >= 5 else "Laporan SMS",
            "description": text if len(text) >= 10 else f"{text} (SMS)",
            "reporter": {"phone": sender},
        }
        return Submission(fields, message_id=message_id)

    def reply(self, outcome: Outcome) -> Reply:
        """Plain text: Kannel sends it back as the reply SMS (so always 200,
        except for a message that did not come from Kannel at all)."""
        if outcome.result == "rejected":
            errors = outcome.errors or {}
            if "region_code" in errors:
                text = (
                    "Laporan belum diterima: sebutkan kota/kabupaten tempat kejadian, "
                    "mis. 'Jalan rusak di Kota Bandung'."
                )
            elif "tracking_id" in errors:
                text = "Nomor laporan tidak dikenal. Periksa nomor LAP- Anda."
            elif "pin" in errors:
                text = (
                    "Tambahan ditolak: hanya pelapor yang dapat menambah laporan ini. "
                    "Kirim dari nomor yang dipakai saat melapor, atau lewat web dengan PIN-nya."
                )
            elif "_rate" in errors:
                text = "Terlalu banyak laporan dari nomor ini. Coba lagi nanti."
            else:
                fields = ", ".join(sorted(errors))
                text = f"Laporan belum diterima ({fields}). Tulis keluhan Anda lebih lengkap."
            status = 400 if "from" in errors else 200
            return Reply(status, text, "text/plain; charset=utf-8")
        if outcome.result == "opted_out":
            text = "Anda tidak akan menerima SMS dari LAPOR lagi."
        elif outcome.result == "followed_up":
            text = f"Tambahan untuk laporan {outcome.tracking_id} sudah diterima."
        else:
            pin = f", PIN {outcome.pin} (untuk web)" if outcome.pin else ""
            text = (
                f"Laporan diterima, nomor {outcome.tracking_id}{pin}. Untuk menambah info, "
                f"balas SMS diawali {outcome.tracking_id}."
            )
        return Reply(200, text, "text/plain; charset=utf-8")
