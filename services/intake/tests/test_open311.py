"""The Open311 channel's parser: read or refuse in the spec's error format."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
import xmltodict
from hypothesis import given, settings
from hypothesis import strategies as st

from lapor.channels import ChannelError, Inbound, Outcome, Submission
from services.intake.channels.open311 import Open311Channel

CHANNEL = Open311Channel("open311")
FORM = {"content-type": "application/x-www-form-urlencoded"}


def inbound(fields: dict, fmt: str = "json") -> Inbound:
    return Inbound("POST", f"/open311/v2/requests.{fmt}", FORM, body=urlencode(fields).encode())


GOOD = {
    "api_key": "k",
    "service_code": "infrastruktur",
    "description": "Lampu jalan mati sejak seminggu",
    "address_string": "Jl. Asia Afrika, Kota Bandung",
    "lat": "-6.921",
    "long": "107.607",
    "email": "warga@example.id",
    "attribute[report_type]": "pengaduan",
    "media_url": "https://example.id/foto.jpg",
}


def test_a_request_becomes_a_submission_with_its_place_in_the_text():
    parsed = CHANNEL.parse(inbound(GOOD))
    assert isinstance(parsed, Submission)
    assert parsed.fields["category"] == "infrastruktur"
    assert "Kota Bandung" in parsed.fields["description"]
    assert "-6.921000, 107.607000" in parsed.fields["description"]
    assert "https://example.id/foto.jpg" in parsed.fields["description"]
    assert parsed.fields["reporter"] == {"name": None, "email": "warga@example.id", "phone": None}
    assert parsed.fields["report_type"] == "pengaduan"
    assert CHANNEL.api_key(inbound(GOOD)) == "k"


def test_the_same_request_has_the_same_message_id():
    assert CHANNEL.parse(inbound(GOOD)).message_id == CHANNEL.parse(inbound(GOOD)).message_id
    other = CHANNEL.parse(inbound({**GOOD, "description": "Lampu jalan mati lagi"}))
    assert other.message_id != CHANNEL.parse(inbound(GOOD)).message_id


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"service_code": "potholes"}, "service_code"),
        ({"lat": "north"}, "lat"),
        ({"lat": "91"}, "lat"),
        ({"long": None}, "lat"),
        ({"lat": None, "long": None, "address_string": None}, "address_string"),
        ({"colour": "red"}, "colour"),
        ({"description": None}, "description"),
    ],
)
def test_bad_requests_name_the_field(change, field):
    fields = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    with pytest.raises(ChannelError) as error:
        CHANNEL.parse(inbound(fields))
    assert field in error.value.errors


def test_errors_and_answers_use_the_spec_format_in_json_and_xml():
    refused = Outcome("rejected", errors={"lat": ["bad"]}, status=400, inbound=inbound({}, "xml"))
    reply = CHANNEL.reply(refused)
    assert reply.status == 400
    assert xmltodict.parse(reply.body)["errors"]["error"] == {
        "code": "400",
        "description": "lat: bad",
    }
    accepted = Outcome("accepted", tracking_id="LAP-0123456789", inbound=inbound({}, "json"))
    [row] = json.loads(CHANNEL.reply(accepted).body)
    assert row["service_request_id"] == "LAP-0123456789"


@given(
    st.dictionaries(
        st.sampled_from(
            ["service_code", "lat", "long", "address_string", "description", "attribute[title]",
             "attribute[region_code]", "email", "x", "attribute[zzz]", "phone"]
        ),
        st.text(max_size=40) | st.sampled_from(["infrastruktur", "1e308", "nan", "-6.9"]),
    ),
    st.sampled_from(["json", "xml"]),
)  # fmt: skip
@settings(max_examples=300)
def test_any_form_is_read_or_refused_cleanly(fields, fmt):
    try:
        parsed = CHANNEL.parse(inbound(fields, fmt))
    except ChannelError as error:
        assert error.errors and error.status == 400
        reply = CHANNEL.reply(Outcome("rejected", errors=error.errors, status=400,
                                      inbound=inbound(fields, fmt)))  # fmt: skip
        if fmt == "xml":
            assert xmltodict.parse(reply.body)["errors"]
        else:
            assert json.loads(reply.body)[0]["code"] == 400
    else:
        assert isinstance(parsed, Submission)


@given(st.binary(max_size=300))
@settings(max_examples=200)
def test_any_body_is_read_or_refused_cleanly(body):
    try:
        CHANNEL.parse(Inbound("POST", "/open311/v2/requests.json", FORM, body=body))
    except ChannelError as error:
        assert error.errors
