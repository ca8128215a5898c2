"""The SMS channel's parser and replies (Kannel's sms-service get-url)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lapor.channels import ChannelError, FollowUp, Inbound, OptOut, Outcome, Submission
from services.intake.channels.sms import SmsChannel

SMS = SmsChannel("sms")


def mo(text: str, sender: str = "6281234567890", kannel_id: str = "42") -> Inbound:
    query = {"from": [sender], "to": ["1708"], "text": [text], "id": [kannel_id]}
    return Inbound("GET", "/channels/sms", {}, query)


def test_an_sms_is_a_report_from_the_senders_number_keyed_by_kannels_id():
    parsed = SMS.parse(mo("Jalan berlubang besar di Kota Bandung dekat pasar"))
    assert isinstance(parsed, Submission)
    assert parsed.fields["reporter"] == {"phone": "6281234567890"}
    assert parsed.message_id == "6281234567890:42"
    assert parsed.fields["title"] == "Jalan berlubang besar di Kota Bandung dekat pasar"


def test_an_sms_starting_with_a_tracking_id_is_a_follow_up():
    parsed = SMS.parse(mo("lap-7k3m9qxt2b masih rusak"))
    assert parsed == FollowUp(
        "LAP-7K3M9QXT2B", "masih rusak", message_id="6281234567890:42", sender="6281234567890"
    )


def test_selesai_after_the_tracking_id_confirms_anything_else_is_information():
    kinds = {
        text: SMS.parse(mo(f"LAP-7K3M9QXT2B {text}")).kind
        for text in ("SELESAI", "selesai, terima kasih", "Sudah selesai", "beres.",
                     "belum selesai", "masih rusak", "selesaikan segera")
    }  # fmt: skip
    assert kinds == {
        "SELESAI": "confirmation", "selesai, terima kasih": "confirmation",
        "Sudah selesai": "confirmation", "beres.": "confirmation",
        "belum selesai": "information", "masih rusak": "information",
        "selesaikan segera": "information",
    }  # fmt: skip


def test_stop_and_berhenti_opt_out():
    assert SMS.parse(mo("STOP")) == OptOut("6281234567890")
    assert SMS.parse(mo(" berhenti ")) == OptOut("6281234567890")


def test_unicode_text_is_kept():
    parsed = SMS.parse(mo("Lampu jalan mati 💡 di Kota Bandung, “gelap” sekali"))
    assert "💡" in parsed.fields["description"]


def test_replies_are_sms_text():
    reply = SMS.reply(Outcome("accepted", tracking_id="LAP-7K3M9QXT2B", pin="04821937"))
    assert reply.status == 200 and "LAP-7K3M9QXT2B" in reply.body
    assert "PIN 04821937" in reply.body and len(reply.body) <= 160  # one SMS
    assert reply.content_type.startswith("text/plain")
    asked = SMS.reply(Outcome("rejected", errors={"region_code": ["x"]}, status=400))
    assert asked.status == 200 and "kota/kabupaten" in asked.body


@given(
    st.dictionaries(
        st.sampled_from(["from", "to", "text", "id", "time"]),
        st.lists(st.text(max_size=80), max_size=2),
    )
)
@settings(max_examples=300)
def test_any_query_is_read_or_refused_cleanly(query):
    inbound = Inbound("GET", "/channels/sms", {}, query)
    try:
        parsed = SMS.parse(inbound)
    except ChannelError as error:
        assert error.errors and error.status == 400
    else:
        assert isinstance(parsed, Submission | FollowUp | OptOut)
