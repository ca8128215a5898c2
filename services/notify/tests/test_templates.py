import pytest

from services.notify.adapters.email import render
from services.notify.domain import notices_for


@pytest.mark.parametrize("language", ["id", "en"])
def test_received_email_has_the_tracking_id_and_the_link(language):
    body = render(
        "report_received",
        language,
        tracking_id="LAP-0123456789",
        confidential=False,
        tracking_url="http://x/LAP-0123456789",
    )
    assert "LAP-0123456789" in body and "http://x/LAP-0123456789" in body


def test_a_confidential_report_reminds_of_the_pin():
    body = render(
        "report_received",
        "id",
        tracking_id="LAP-0123456789",
        confidential=True,
        tracking_url="http://x",
    )
    assert "PIN" in body


def test_the_reporter_is_told_only_when_there_is_one():
    assert notices_for("report.submitted", {"reporter_ref": None}) == []
    [notice] = notices_for("report.submitted", {"reporter_ref": "ref-1"})
    assert (notice.recipient, notice.channel) == ("ref-1", "email")
