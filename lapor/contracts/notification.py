"""Notify's events: what the operator reported about an SMS, and who opted out.

These events never reach agencies (no `agency_field`, and no agency binding
matches them) and carry no contact details: a delivery report names the
notification, an opt-out names a keyed digest of the address, which only
notify (holding the key) can compute and compare.

Streams: `notification-<reference>` (one notification's delivery history),
`contact-<digest>` (one address's consent on one channel).
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from lapor.contracts import Contract, register

DIGEST = r"^[0-9a-f]{64}$"
# Kannel's dlr-mask bits (%d in the dlr-url) and what each means for us
DLR_STATUS = {
    1: "delivered",  # delivered to the phone
    2: "undeliverable",  # the operator gave up: not delivered to the phone
    4: "buffered",  # queued at the SMSC, the phone is not reachable yet
    8: "accepted",  # the SMSC took it
    16: "rejected",  # the SMSC refused it
}
OPT_OUT_CHANNELS = ("sms", "email")
OPT_OUT_VIA = ("sms_keyword", "email_link", "officer")


def notification_stream(reference: str) -> str:
    return f"notification-{reference}"


def contact_stream(digest: str) -> str:
    # the digest covers the channel too: one stream per address and channel
    return f"contact-{digest}"


class DeliveryReportedV1(Schema):
    notification_id = fields.UUID(required=True)  # notify's reference of one message
    tracking_id = fields.String(required=True)
    channel = fields.String(required=True, validate=validate.OneOf(("sms",)))
    status = fields.String(required=True, validate=validate.OneOf(tuple(DLR_STATUS.values())))
    dlr_type = fields.Integer(required=True, validate=validate.OneOf(tuple(DLR_STATUS)))


class ContactOptedOutV1(Schema):
    channel = fields.String(required=True, validate=validate.OneOf(OPT_OUT_CHANNELS))
    # HMAC-SHA256 of the normalised address (E.164 number or lower-case email)
    # under notify's key: the log never holds the address itself
    contact_digest = fields.String(required=True, validate=validate.Regexp(DIGEST))
    via = fields.String(required=True, validate=validate.OneOf(OPT_OUT_VIA))


NOTIFICATION_DELIVERY_REPORTED = register(
    Contract("notification.delivery_reported", 1, DeliveryReportedV1)
)
CONTACT_OPTED_OUT = register(Contract("contact.opted_out", 1, ContactOptedOutV1))
