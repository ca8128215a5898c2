"""Agency subscriptions over AMQP, against the real broker: the user that
`lapor agency-amqp-user` creates reads only its own events from its own
queue, the broker refuses the rest (ACCESS_REFUSED), and the `lapor-subscribe`
client acks only what the agency's handler accepted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from threading import Thread
from urllib.parse import quote, unquote, urlsplit

import pika
import pytest
from pika.exceptions import ChannelClosedByBroker

from lapor.subscriber import Subscriber, forward_to
from services.routing import subscriptions
from services.routing.adapters import amqp_users
from services.routing.tests.webhook_support import unique_code

ACCESS_REFUSED = 403


def _management_up(api: amqp_users.Management) -> bool:
    try:
        api.request("GET", "/api/overview")
        return True
    except amqp_users.ManagementError:
        return False


@pytest.fixture(scope="module")
def management():
    api = amqp_users.Management.from_env()
    if not _management_up(api):  # a fresh broker: the plugin ships, disabled
        subprocess.run(["rabbitmq-plugins", "enable", "rabbitmq_management"], check=True)
        for _ in range(60):
            if _management_up(api):
                break
            time.sleep(0.5)
    return api


@pytest.fixture
def agencies(management, amqp_uri, monkeypatch, capsys):
    """Creates agency users with the `lapor agency-amqp-user` command; removes them."""
    vhost = unquote(urlsplit(amqp_uri).path[1:])
    monkeypatch.setenv("AMQP_URI", amqp_uri)
    made: list[str] = []

    def create(prefix: str) -> dict[str, str]:
        code = unique_code(prefix)
        capsys.readouterr()
        assert subscriptions.agency_amqp_user_command([code]) == 0
        printed = dict(line.split("\t", 1) for line in capsys.readouterr().out.splitlines())
        made.append(code)
        assert printed["queue"] == f"lapor.agency.{code}" and printed["vhost"] == vhost
        user, password = quote(printed["user"], safe=""), quote(printed["password"], safe="")
        url = f"amqp://{user}:{password}@127.0.0.1:5672/{quote(vhost, safe='')}"
        return {"code": code, "queue": printed["queue"], "url": url}

    yield create
    for code in made:
        amqp_users.delete_agency_user(management, vhost, code)


def publish(amqp_uri: str, *routing_keys: str) -> list[str]:
    """Publish one CloudEvent-like message per key as the relay does; their ids."""
    ids = []
    connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
    channel = connection.channel()
    channel.confirm_delivery()
    for key in routing_keys:
        event_id = str(uuid.uuid4())
        body = {"specversion": "1.0", "id": event_id, "type": key.rsplit(".", 1)[0]}
        channel.basic_publish(
            "lapor.events",
            key,
            json.dumps(body).encode(),
            pika.BasicProperties(content_type="application/cloudevents+json", delivery_mode=2),
        )
        ids.append(event_id)
    connection.close()
    return ids


def drain(url: str, queue: str) -> list[str]:
    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    ids = []
    while True:
        method, _, body = channel.basic_get(queue, auto_ack=True)
        if method is None:
            break
        ids.append(json.loads(body)["id"])
    connection.close()
    return ids


def refused(url: str, action) -> int:
    """Run `action(channel)` as the agency; the broker's reply code (0: allowed)."""
    connection = pika.BlockingConnection(pika.URLParameters(url))
    try:
        action(connection.channel())
        return 0
    except ChannelClosedByBroker as exc:
        return exc.reply_code
    finally:
        if connection.is_open:
            connection.close()


def test_an_agency_user_reads_only_its_own_events(agencies, amqp_uri):
    a, b = agencies("amqp-a"), agencies("amqp-b")
    a_ids = publish(amqp_uri, f"report.routed.{a['code']}", f"report.message_added.{a['code']}")
    b_ids = publish(amqp_uri, f"report.routed.{b['code']}")
    # a code that merely ends like A's is another agency's word
    publish(amqp_uri, f"report.routed.x-{a['code']}", "report.submitted")
    time.sleep(0.2)
    assert drain(a["url"], a["queue"]) == a_ids
    assert drain(b["url"], b["queue"]) == b_ids


def test_the_broker_refuses_everything_else_to_an_agency_user(agencies, amqp_uri):
    a, b = agencies("deny-a"), agencies("deny-b")
    queue = a["queue"]
    for key in (f"report.routed.{b['code']}", "#", "report.routed.#", f"{a['code']}.#"):
        bind = lambda ch, key=key: ch.queue_bind(queue, "lapor.events", routing_key=key)  # noqa: E731
        assert refused(a["url"], bind) == ACCESS_REFUSED, key
    assert refused(a["url"], lambda ch: ch.basic_get(b["queue"])) == ACCESS_REFUSED
    assert refused(a["url"], lambda ch: ch.queue_declare("lapor.agency.mine")) == ACCESS_REFUSED
    publish_to_a = lambda ch: ch.basic_publish("lapor.events", f"report.routed.{a['code']}", b"{}")  # noqa: E731,E501
    assert refused(a["url"], lambda ch: (ch.confirm_delivery(), publish_to_a(ch))) == ACCESS_REFUSED
    # its own events, under any binding key that ends in its own code, are allowed
    own = lambda ch: ch.queue_bind(queue, "lapor.events", routing_key=f"report.*.{a['code']}")  # noqa: E731,E501
    assert refused(a["url"], own) == 0
    assert refused(a["url"], lambda ch: ch.basic_get(queue)) == 0


def test_the_subscriber_acks_only_after_the_handler_succeeded(agencies, amqp_uri):
    a = agencies("sub-a")
    ids = publish(amqp_uri, *[f"report.routed.{a['code']}"] * 3)
    seen: list[str] = []

    def handler(event: dict) -> None:
        seen.append(event["id"])
        if event["id"] == ids[1] and seen.count(ids[1]) == 1:
            raise RuntimeError("the agency's database is down")
        if all(i in seen for i in ids) and seen.count(ids[1]) == 2:
            subscriber.stop()

    subscriber = Subscriber(a["url"], a["queue"], handler, retry_delay=0.1, idle_seconds=0.2)
    assert subscriber.run() == 3
    assert seen.count(ids[1]) == 2 and set(seen) == set(ids)
    assert drain(a["url"], a["queue"]) == []  # all acked


def test_an_event_the_handler_refused_stays_in_the_queue(agencies, amqp_uri):
    a = agencies("sub-b")
    [event_id] = publish(amqp_uri, f"report.routed.{a['code']}")

    def handler(event: dict) -> None:
        subscriber.stop()  # the agency's system stops in the middle of failing
        raise RuntimeError("cannot store it")

    subscriber = Subscriber(a["url"], a["queue"], handler, retry_delay=0.1, idle_seconds=0.2)
    assert subscriber.run() == 0
    connection = pika.BlockingConnection(pika.URLParameters(a["url"]))
    method, _, body = connection.channel().basic_get(a["queue"], auto_ack=True)
    connection.close()
    assert json.loads(body)["id"] == event_id and method.redelivered


def test_lapor_subscribe_forwards_each_event_over_http(agencies, amqp_uri):
    a = agencies("fwd-a")
    ids = publish(amqp_uri, f"report.routed.{a['code']}", f"report.closed.{a['code']}")
    posted: list[dict] = []

    class Agency(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            posted.append(json.loads(self.rfile.read(int(self.headers["content-length"]))))
            self.send_response(200 if len(posted) > 1 else 503)  # the first try fails
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Agency)
    Thread(target=server.serve_forever, daemon=True).start()
    forward = forward_to(f"http://127.0.0.1:{server.server_address[1]}/in")

    def handler(event: dict) -> None:
        forward(event)  # raises on the 503: the event is not acked
        if subscriber.handled == 1:  # this is the second success
            subscriber.stop()

    subscriber = Subscriber(a["url"], a["queue"], handler, retry_delay=0.1, idle_seconds=0.2)
    assert subscriber.run() == 2
    server.shutdown()
    assert len(posted) == 3 and {p["id"] for p in posted} == set(ids)
    assert drain(a["url"], a["queue"]) == []


def test_the_lapor_subscribe_command_prints_each_event(agencies, amqp_uri):
    a = agencies("cli-a")
    ids = publish(amqp_uri, f"report.routed.{a['code']}", f"report.closed.{a['code']}")
    env = {**os.environ, "LAPOR_AMQP_URL": a["url"]}
    process = subprocess.Popen(
        [sys.executable, "-m", "lapor.subscriber", a["code"]],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        lines = [process.stdout.readline() for _ in ids]
        time.sleep(1.0)  # the ack follows the print
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert [json.loads(line)["id"] for line in lines] == ids
    assert drain(a["url"], a["queue"]) == []  # printed, then acked: nothing left


def test_asyncapi_documents_the_agency_queue_the_command_makes():
    import yaml

    document = yaml.safe_load((Path(__file__).parents[3] / "docs" / "asyncapi.yaml").read_text())
    queue = document["channels"]["agencyQueue"]["bindings"]["amqp"]
    assert queue["queue"]["name"] == amqp_users.queue_name("{agency_code}")
    assert queue["x-bindings"] == [
        {"exchange": "lapor.events", "routingKey": amqp_users.binding_key("{agency_code}")}
    ]
    assert queue["x-arguments"] == amqp_users.QUEUE_ARGUMENTS
    examples = document["components"]["messages"]["reportMessageAdded"]["examples"]
    assert examples[0]["payload"]["agency"] == examples[0]["name"].rsplit(".", 1)[1]
