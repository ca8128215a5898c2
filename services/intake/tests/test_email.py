"""The email channel's MIME parsing: text preferred, HTML reduced, robots ignored."""

from __future__ import annotations

import base64
from email.message import EmailMessage

from hypothesis import given, settings
from hypothesis import strategies as st

from lapor.channels import ChannelError, FollowUp, Ignored, Inbound, Submission
from services.intake.channels.email import EmailChannel, html_to_text

EMAIL = EmailChannel("email")
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def mail(subject="Jalan rusak di Kota Bandung", text=None, html=None, **headers) -> bytes:
    message = EmailMessage()
    message["From"] = headers.pop("sender", "Siti Rahma <siti@example.id>")
    message["To"] = "lapor@lapor.example"
    message["Subject"] = subject
    message["Message-ID"] = headers.pop("message_id", "<m1@example.id>")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    if text is not None:
        message.set_content(text)
    if html is not None:
        if text is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    return bytes(message)


def parse(raw: bytes):
    return EMAIL.parse(Inbound("IMAP", "/imap", body=raw))


def test_plain_text_is_preferred_and_the_sender_is_the_reporter():
    parsed = parse(mail(text="Jalan berlubang besar.", html="<p>HTML version</p>"))
    assert isinstance(parsed, Submission)
    assert parsed.fields["description"] == "Jalan berlubang besar."
    assert parsed.fields["reporter"] == {"email": "siti@example.id", "name": "Siti Rahma"}
    assert parsed.message_id == "<m1@example.id>"


def test_html_only_mail_is_reduced_to_text():
    parsed = parse(mail(html="<p>Lampu <b>mati</b></p><script>alert(1)</script><br>lagi"))
    assert parsed.fields["description"] == "Lampu mati\nlagi"
    assert html_to_text("<style>x{}</style>a &amp; b") == "a & b"


def test_attachments_are_kept():
    message = EmailMessage()
    message["From"] = "siti@example.id"
    message["Subject"] = "Foto jalan rusak"
    message.set_content("Jalan rusak di Kota Bandung, foto terlampir.")
    message.add_attachment(PNG, maintype="image", subtype="png", filename="foto.png")
    parsed = parse(bytes(message))
    assert [a.content for a in parsed.attachments] == [PNG]


def test_auto_replies_and_bounces_are_ignored():
    assert isinstance(parse(mail(text="Saya cuti", Auto_Submitted="auto-replied")), Ignored)
    assert isinstance(parse(mail(text="x", Precedence="bulk")), Ignored)
    assert isinstance(parse(mail(text="x", sender="MAILER-DAEMON@mx.example")), Ignored)
    assert isinstance(parse(mail(text="x", X_Autoreply="yes")), Ignored)


def test_a_reply_to_our_email_is_a_follow_up_without_the_quote():
    text = "Masih belum jadi.\n\nOn Mon, 1 Jan 2026 Lapor wrote:\n> Laporan diterima"
    parsed = parse(mail(subject="Re: [LAP-7K3M9QXT2B] Laporan diterima", text=text))
    assert parsed == FollowUp(
        "LAP-7K3M9QXT2B",
        "Masih belum jadi.",
        message_id="<m1@example.id>",
        sender="siti@example.id",
    )


@given(st.binary(max_size=600))
@settings(max_examples=300)
def test_any_bytes_are_read_or_refused_cleanly(raw):
    try:
        parsed = parse(raw)
    except ChannelError as error:
        assert error.errors
    else:
        assert isinstance(parsed, Submission | FollowUp | Ignored)


@given(
    subject=st.text(max_size=80),
    text=st.text(max_size=300),
    html=st.none() | st.text(max_size=200).map(lambda t: f"<div>{t}</div>"),
)
@settings(max_examples=150)
def test_any_well_formed_mail_is_read_or_refused_cleanly(subject, text, html):
    try:
        raw = mail(subject=subject.replace("\n", " ").replace("\r", " "), text=text, html=html)
    except (ValueError, TypeError):
        return  # not a message the stdlib can even build
    try:
        parsed = parse(raw)
    except ChannelError as error:
        assert error.errors
    else:
        assert isinstance(parsed, Submission | FollowUp | Ignored)


def test_a_new_report_sent_as_a_reply_keeps_the_senders_words_not_the_quote():
    text = ("Lampu jalan mati di Kota Bogor sejak Senin.\n\nOn Mon Lapor wrote:\n"
            "> Kirim ulang laporan Anda ... Kota Bandung")  # fmt: skip
    parsed = parse(mail(subject="Re: Laporan Anda belum dapat kami terima", text=text))
    assert parsed.fields["description"] == "Lampu jalan mati di Kota Bogor sejak Senin."


def test_the_sender_of_a_refused_mail_and_the_language_to_answer_in():
    sender = EMAIL.sender(Inbound("IMAP", "/imap", body=mail(text="x", Content_Language="en")))
    assert (sender.address, sender.name, sender.message_id) == (
        "siti@example.id", "Siti Rahma", "<m1@example.id>")  # fmt: skip
    assert EMAIL.sender(Inbound("IMAP", "/imap", body=mail(text="x"))).language == "id"
    robot = mail(text="x", sender="postmaster@example.id")
    assert EMAIL.sender(Inbound("IMAP", "/imap", body=robot)) is None
    assert EMAIL.sender(Inbound("IMAP", "/imap", body=b"\xff\xfe not a mail")) is None
