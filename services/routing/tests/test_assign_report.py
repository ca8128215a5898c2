"""assign_report against the real log: the decision lands after whatever the
report's stream already holds."""

import uuid

from lapor import eventstore
from lapor.eventstore import NO_STREAM, NewEvent
from services.routing import handlers
from services.routing.adapters import cases
from services.routing.adapters.agencies import load_rules


def test_a_follow_up_before_routing_does_not_block_routing(engine):
    tracking_id = f"LAP-{uuid.uuid4().hex[:10].upper()}"
    stream = f"report-{tracking_id}"
    submitted = {
        "tracking_id": tracking_id, "title": "KTP-el belum jadi",
        "description": "Sudah tiga bulan menunggu.", "category": "kependudukan",
        "region_code": "32.73", "report_type": "pengaduan", "incident_date": None,
        "channel": "web", "reporter_ref": None, "anonymous": False, "confidential": False,
    }  # fmt: skip
    follow_up = {
        "tracking_id": tracking_id, "kind": "information",
        "message": "Saya lampirkan nomor antrean.",
        "channel": "web", "attachments": [],
    }  # fmt: skip
    with engine.begin() as tx:
        eventstore.append(tx, stream, NO_STREAM, [NewEvent("report.submitted", submitted)])
        eventstore.append(tx, stream, 1, [NewEvent("report.message_added", follow_up)])
    with engine.begin() as tx:
        event = eventstore.read_stream(tx, stream)[0]
        decision = handlers.assign_report(event, cases.ports(tx), load_rules(), handlers.Settings())
    types = [e.type for e in eventstore.EventStore(engine).read_stream(stream)]
    assert types == ["report.submitted", "report.message_added", "report.routed"]
    assert decision.agency_code  # routed somewhere, whatever the catalogue holds
