"""The real Kannel for tests: bearerbox, smsbox and fakesmsc on free loopback ports.

fakesmsc plays the operator: it receives every MT that bearerbox delivers
(collected in `received`) and can send MO messages to the short code.
bearerbox answers delivery reports for what it hands to the fake SMSC, and
calls each message's `dlr-url`.

>>> with Kannel(tmp_path, mo_url="http://127.0.0.1:8000/sms?from=%p&text=%a") as kannel:
...     kannel.sendsms_url        # give this to notify as KANNEL_SENDSMS_URL
...     kannel.send_mo("6281234567890", "LAPOR jalan rusak")
...     kannel.wait_for(lambda mts: len(mts) >= 1)

Requires the Debian packages `kannel` and `kannel-extras`.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "deploy" / "kannel" / "kannel.conf.template"
BEARERBOX = shutil.which("bearerbox") or "/usr/sbin/bearerbox"
SMSBOX = shutil.which("smsbox") or "/usr/sbin/smsbox"
FAKESMSC = "/usr/lib/kannel/test/fakesmsc"
SHORT_CODE = "1708"
# what Kannel's get-url hands intake's SMS channel (/channels/sms): sender,
# receiver, text, Kannel's message id (the idempotency key), time
MO_QUERY = "from=%p&to=%P&text=%a&id=%I&time=%T"

# fakesmsc prints what bearerbox sends it: "Got message 3: <1708 6281234567890 text Hello>"
_GOT = re.compile(r"Got message \d+: <(\S+) (\S+) (\S+) (.*)>\s*$")


def installed() -> bool:
    return all(Path(p).exists() for p in (BEARERBOX, SMSBOX, FAKESMSC))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Mt:
    """One SMS as the operator received it."""

    sender: str
    receiver: str
    kind: str  # text, udh, data, ucs2 (fakesmsc's message types)
    text: str

    @property
    def decoded(self) -> str:
        """The text, for the types fakesmsc prints url-encoded."""
        if self.kind in ("text",):
            return self.text
        body = self.text.split(" ", 1)[-1] if self.kind.startswith("udh") else self.text
        return urllib.parse.unquote_to_bytes(body).decode("utf-8", "replace")


class Kannel:
    def __init__(
        self,
        run_dir: Path,
        mo_url: str = "",
        smsc_throughput: int = 0,
        log_level: int = 1,
        follow_operator: bool = True,
    ):
        self.run_dir = Path(run_dir)
        # False: fakesmsc writes to fakesmsc.out only, so the processes outlive
        # this object (the local stack of `make up`); `received` stays empty
        self.follow_operator = follow_operator
        self.mo_url = mo_url
        self.ports = {
            name: free_port() for name in ("admin_port", "smsbox_port", "sendsms_port", "fake_port")
        }
        self.user, self.password = "lapor", secrets.token_hex(8)
        self.admin_password = secrets.token_hex(8)
        self.smsc_throughput = smsc_throughput
        self.log_level = log_level
        self.received: list[Mt] = []
        self._lock = threading.Lock()
        self._processes: dict[str, subprocess.Popen] = {}
        self._readers: list[threading.Thread] = []

    # -- what clients need ----------------------------------------------------

    @property
    def sendsms_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['sendsms_port']}/cgi-bin/sendsms"

    @property
    def admin_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['admin_port']}"

    def client_env(self) -> dict[str, str]:
        """The environment notify needs to send through this Kannel."""
        return {
            "KANNEL_SENDSMS_URL": self.sendsms_url,
            "KANNEL_USERNAME": self.user,
            "KANNEL_PASSWORD": self.password,
        }

    # -- life cycle -----------------------------------------------------------

    def config_text(self) -> str:
        return Template(TEMPLATE.read_text()).substitute(
            run_dir=str(self.run_dir),
            log_level=self.log_level,
            admin_password=self.admin_password,
            sendsms_user=self.user,
            sendsms_password=self.password,
            short_code=SHORT_CODE,
            # an empty get-url is refused; with no MO consumer the service answers nothing
            mo_url=self.mo_url or f"http://127.0.0.1:{self.ports['admin_port']}/status",
            mo_max_replies=1 if self.mo_url else 0,
            smsc_throughput=self.smsc_throughput,
            **self.ports,
        )

    def start(self, timeout: float = 30.0) -> Kannel:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        conf = self.run_dir / "kannel.conf"
        conf.write_text(self.config_text())
        self._spawn("bearerbox", [BEARERBOX, "-v", "4", str(conf)])
        _wait_port(self.ports["smsbox_port"], timeout)
        _wait_port(self.ports["fake_port"], timeout)
        self.start_operator()
        self._spawn("smsbox", [SMSBOX, "-v", "4", str(conf)])
        _wait_port(self.ports["sendsms_port"], timeout)
        self.wait_for_smsc_online(timeout)
        return self

    def start_operator(self, *mo: str, count: int = 0) -> None:
        """(Re)start fakesmsc; it sends `count` of the MO lines `mo` and keeps
        receiving MT until stopped."""
        self._stop("fakesmsc")
        args = [FAKESMSC, "-H", "127.0.0.1", "-r", str(self.ports["fake_port"])]
        args += ["-i", "0.05", "-m", str(count)]
        args += list(mo) or [f"0 {SHORT_CODE} text nop"]
        self._spawn("fakesmsc", args, reader=self._read_operator if self.follow_operator else None)

    def send_mo(self, sender: str, text: str, receiver: str = SHORT_CODE) -> None:
        """One SMS from `sender` (digits, no +) to the short code. fakesmsc takes
        the text url-encoded ("data") so that any character survives."""
        line = f"{sender} {receiver} data {urllib.parse.quote(text.encode('utf-8'))}"
        self.start_operator(line, count=1)

    def wait_for_smsc_online(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "online" in self.status():
                return
            time.sleep(0.1)
        raise TimeoutError(f"the fake SMSC did not come online; see {self.run_dir}")

    def status(self) -> str:
        from urllib.request import urlopen

        try:
            url = f"{self.admin_url}/status.txt?password={self.admin_password}"
            with urlopen(url, timeout=2) as answer:
                return answer.read().decode()
        except OSError:
            return ""

    def pids(self) -> dict[str, int]:
        """The running processes: name -> pid (each leads its own process group)."""
        return {name: p.pid for name, p in self._processes.items() if p.poll() is None}

    def stop(self) -> None:
        for name in ("smsbox", "fakesmsc", "bearerbox"):
            self._stop(name)

    def __enter__(self) -> Kannel:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- what the operator received -------------------------------------------

    def messages(self, receiver: str | None = None) -> list[Mt]:
        with self._lock:
            found = list(self.received)
        if receiver is not None:
            digits = receiver.lstrip("+")
            found = [m for m in found if m.receiver.lstrip("+") == digits]
        return found

    def wait_for(
        self, predicate: Callable[[list[Mt]], object], timeout: float = 30.0, what: str = "MT"
    ):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = predicate(self.messages())
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out after {timeout} s waiting for {what}; see {self.run_dir}")

    # -- internals ------------------------------------------------------------

    def _spawn(self, name: str, args: list[str], reader=None) -> None:
        log = open(self.run_dir / f"{name}.out", "ab")
        process = subprocess.Popen(
            args,
            cwd=self.run_dir,
            stdout=subprocess.PIPE if reader else log,
            stderr=subprocess.STDOUT if reader else log,
            start_new_session=True,
        )
        self._processes[name] = process
        if reader:
            thread = threading.Thread(target=reader, args=(process, log), daemon=True)
            thread.start()
            self._readers.append(thread)

    def _read_operator(self, process: subprocess.Popen, log) -> None:
        for raw in process.stdout:
            log.write(raw)
            log.flush()
            match = _GOT.search(raw.decode("utf-8", "replace"))
            if match:
                with self._lock:
                    self.received.append(Mt(*match.groups()))

    def _stop(self, name: str) -> None:
        process = self._processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        except ProcessLookupError:
            pass


def _wait_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")
