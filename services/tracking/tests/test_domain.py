from services.tracking.domain import ACTOR_OF, STATUS_AFTER, STATUS_LABELS, public_detail

SUBMITTED = {
    "tracking_id": "LAP-0123456789",
    "title": "Judul",
    "description": "Isi rahasia",
    "category": "kesehatan",
    "region_code": "32.73",
    "report_type": "pengaduan",
    "incident_date": None,
    "channel": "sms",
    "reporter_ref": "3f1c...",
    "anonymous": True,
    "confidential": True,
}


def test_the_timeline_shows_no_identity_and_no_content():
    detail = public_detail("report.submitted", SUBMITTED)
    assert detail == {"channel": "sms"}


def test_every_status_has_indonesian_and_english_labels():
    for status in STATUS_AFTER.values():
        assert set(STATUS_LABELS[status]) == {"id", "en"}
    assert set(STATUS_AFTER) <= set(ACTOR_OF)  # every event that moves a report has an actor
