"""The built-in channels' parsers: every input is either read or refused with
field-level messages (ChannelError); nothing else escapes."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from standardwebhooks.webhooks import Webhook

from lapor.channels import (
    Channel,
    ChannelError,
    FollowUp,
    Inbound,
    Outcome,
    Registry,
    Submission,
    json_reply,
)
from services.intake.channels.rest import RestChannel
from services.intake.channels.webhook import WebhookChannel

SECRET = "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
REST = RestChannel("web")


def multipart(fields: dict, files: list[tuple[str, bytes]], boundary="XyZbOuNdArY") -> Inbound:
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for filename, content in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; '
            f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    headers = {"content-type": f"multipart/form-data; boundary={boundary}"}
    return Inbound("POST", "/api/v1/reports", headers, body=body)


def test_inbound_survives_the_trip_over_rpc():
    inbound = Inbound("POST", "/channels/x", {"a": "b"}, {"q": ["1", "2"]}, b"\x00\xff", "::1")
    wire = json.loads(json.dumps(inbound.to_wire()))
    assert Inbound.from_wire(wire) == inbound


def test_rest_json_is_a_submission_keyed_by_its_idempotency_key():
    inbound = Inbound(
        "POST",
        "/api/v1/reports",
        {"content-type": "application/json", "idempotency-key": "k1"},
        body=b'{"title": "Jalan rusak"}',
    )
    parsed = REST.parse(inbound)
    assert parsed == Submission({"title": "Jalan rusak"}, message_id="k1")


def test_rest_multipart_gives_fields_reporter_and_files():
    parsed = REST.parse(
        multipart(
            {"title": "Jalan rusak", "reporter.email": "a@b.id", "anonymous": "true"},
            [("foto.jpg", b"\x89PNG....")],
        )
    )
    assert parsed.fields == {
        "title": "Jalan rusak",
        "reporter": {"email": "a@b.id"},
        "anonymous": "true",
    }
    assert [a.content for a in parsed.attachments] == [b"\x89PNG...."]
    assert parsed.attachments[0].filename == "foto.jpg"


def test_rest_follow_up_takes_the_tracking_id_from_the_path_and_the_pin_header():
    inbound = Inbound(
        "POST",
        "/api/v1/reports/LAP-0123456789/messages",
        {"content-type": "application/json", "x-report-pin": "12345678"},
        body=b'{"message": "Masih rusak", "kind": "dispute"}',
    )
    assert REST.parse(inbound) == FollowUp(
        "LAP-0123456789", "Masih rusak", kind="dispute", pin="12345678"
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"{", "_body"),
        (b"[1]", "_body"),
        (b'{"message": 5}', "message"),
        (b'{"message": "x", "colour": "red"}', "colour"),
    ],
)
def test_bad_follow_ups_name_the_field(body, field):
    inbound = Inbound(
        "POST", "/api/v1/reports/LAP-0123456789/messages", {"content-type": "application/json"},
        body=body,
    )  # fmt: skip
    with pytest.raises(ChannelError) as error:
        REST.parse(inbound)
    assert field in error.value.errors


@given(
    content_type=st.sampled_from(
        [
            "application/json",
            "multipart/form-data; boundary=XyZ",
            "multipart/form-data",
            "multipart/form-data; boundary=",
            "text/plain",
        ]
    ),
    body=st.binary(max_size=400)
    | st.builds(
        lambda a, b: b"--XyZ\r\n" + a + b"\r\n\r\n" + b + b"\r\n--XyZ--\r\n",
        st.binary(max_size=80),
        st.binary(max_size=80),
    ),
    path=st.sampled_from(["/api/v1/reports", "/api/v1/reports/LAP-1/messages", "/x"]),
)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_rest_parser_reads_or_refuses_anything(content_type, body, path):
    inbound = Inbound("POST", path, {"content-type": content_type}, body=body)
    try:
        parsed = REST.parse(inbound)
    except ChannelError as error:
        assert error.errors and 400 <= error.status < 500
    else:
        assert isinstance(parsed, Submission | FollowUp)


def _signed(body: bytes, msg_id="msg_1", when: datetime | None = None, secret=SECRET) -> Inbound:
    when = when or datetime.now(UTC)
    signature = Webhook(secret).sign(msg_id, when, body.decode())
    headers = {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(when.timestamp())),
        "webhook-signature": signature,
    }
    return Inbound("POST", "/channels/webhook/partner", headers, body=body)


WEBHOOK = WebhookChannel("webhook", {"WEBHOOK_SECRETS": json.dumps({"partner": SECRET})})


def test_a_signed_webhook_is_a_submission_keyed_by_source_and_id():
    parsed = WEBHOOK.parse(_signed(b'{"title": "Jalan rusak"}'))
    assert parsed == Submission({"title": "Jalan rusak"}, message_id="partner:msg_1")


def test_during_a_rotation_either_secret_of_a_source_verifies():
    new = "whsec_" + base64.b64encode(b"the-new-secret-of-the-partner!!").decode()
    rotating = WebhookChannel(
        "webhook", {"WEBHOOK_SECRETS": json.dumps({"partner": [SECRET, new]})}
    )
    for secret in (SECRET, new):
        assert rotating.parse(_signed(b'{"title": "Jalan rusak"}', secret=secret)).message_id
    with pytest.raises(ChannelError):  # the new secret alone is not yet the partner's
        WEBHOOK.parse(_signed(b'{"title": "Jalan rusak"}', secret=new))


def test_a_webhook_with_a_tracking_id_is_a_follow_up():
    parsed = WEBHOOK.parse(_signed(b'{"tracking_id": "LAP-0123456789", "message": "lagi"}'))
    assert isinstance(parsed, FollowUp) and parsed.message_id == "partner:msg_1"


@pytest.mark.parametrize(
    ("inbound", "status"),
    [
        (_signed(b"{}", when=datetime.now(UTC) - timedelta(minutes=10)), 401),
        (_signed(b"{}", when=datetime.now(UTC) + timedelta(minutes=10)), 401),
        (_signed(b"{}", secret="whsec_" + "A" * 32), 401),
        (Inbound("POST", "/channels/webhook/partner", {}, body=b"{}"), 401),
        (Inbound("POST", "/channels/webhook/stranger", {}, body=b"{}"), 404),
    ],
)
def test_stale_forged_unsigned_and_unknown_webhooks_are_refused(inbound, status):
    with pytest.raises(ChannelError) as error:
        WEBHOOK.parse(inbound)
    assert error.value.status == status


def test_a_tampered_body_is_refused():
    signed = _signed(b'{"title": "Jalan rusak"}')
    tampered = Inbound(signed.method, signed.path, signed.headers, body=b'{"title": "Jalan bagus"}')
    with pytest.raises(ChannelError) as error:
        WEBHOOK.parse(tampered)
    assert error.value.status == 401


@given(
    headers=st.dictionaries(
        st.sampled_from(["webhook-id", "webhook-timestamp", "webhook-signature"]),
        st.text(max_size=60) | st.just(str(int(time.time()))),
    ),
    body=st.binary(max_size=200),
)
@example(  # a Unicode digit that int() refuses
    headers={"webhook-id": "msg_1", "webhook-timestamp": "\u00b2", "webhook-signature": "0"},
    body=b"",
)
@settings(max_examples=300)
def test_webhook_parser_reads_or_refuses_anything(headers, body):
    inbound = Inbound("POST", "/channels/webhook/partner", headers, body=body)
    with pytest.raises(ChannelError) as error:
        WEBHOOK.parse(inbound)  # never validly signed by chance
    assert error.value.errors and 400 <= error.value.status < 500


@given(body=st.binary(max_size=200))
@settings(max_examples=200)
def test_a_validly_signed_body_is_read_or_refused_cleanly(body):
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    inbound = _signed(body) if text is not None else Inbound("POST", "/channels/webhook/partner")
    try:
        parsed = WEBHOOK.parse(inbound)
    except ChannelError as error:
        assert error.errors
    else:
        assert isinstance(parsed, Submission | FollowUp)


def test_the_registry_finds_the_built_in_channels_through_entry_points():
    registry = Registry({"WEBHOOK_SECRETS": "{}"})
    assert {"web", "webhook"} <= set(registry.names())
    assert isinstance(registry.get("web"), RestChannel)
    assert registry.get("no-such-channel") is None
    assert registry.get("../etc") is None


def test_the_default_reply_is_json_with_the_tracking_id():
    reply = Channel("x").reply(Outcome("accepted", tracking_id="LAP-0123456789", pin="12345678"))
    assert reply.status == 201
    assert json.loads(reply.body) == {
        "tracking_id": "LAP-0123456789",
        "duplicate": False,
        "pin": "12345678",
    }
    refused = json_reply(Outcome("rejected", errors={"title": ["Too short."]}, status=400))
    assert (refused.status, json.loads(refused.body)) == (
        400,
        {"errors": {"title": ["Too short."]}},
    )
