"""Run the whole system on one machine, each service as its own process.

    python -m deploy.local.stack up        # [ROUTING=3 TRACKING=2 ...] replicas per service
    python -m deploy.local.stack down
    python -m deploy.local.stack status

The end-to-end and fault tests drive the same `Stack` with their own database,
vhost, ports and run directory.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.error import URLError
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent

# name -> (nameko module, config file, first port)
SERVICES = {
    "relay": ("lapor.nameko.relay_service:RelayService", "lapor/nameko/relay.yaml", 8106),
    "sipp": ("services.sipp.service:SippService", "services/sipp/config.yaml", 8104),
    "intake": ("services.intake.service:IntakeService", "services/intake/config.yaml", 8101),
    "routing": ("services.routing.service:RoutingService", "services/routing/config.yaml", 8102),
    "tracking": (
        "services.tracking.service:TrackingService",
        "services/tracking/config.yaml",
        8103,
    ),
    "notify": ("services.notify.service:NotifyService", "services/notify/config.yaml", 8105),
    "gateway": ("services.gateway.service:GatewayService", "services/gateway/config.yaml", 8000),
}
REPLICA_PORT_STEP = 100  # replica 2 of routing listens on 8202, replica 3 on 8302


# nameko's CLI imports eventlet, whose multi-line deprecation notice would be the
# only non-JSON text in a service's log
QUIET_EVENTLET = "ignore::Warning:nameko.cli.commands"


@dataclass
class Stack:
    run_dir: Path
    env: dict = field(default_factory=dict)  # DATABASE_URL, AMQP_URI, SMTP_PORT, ...
    port_offset: int = 0

    def port(self, name: str, replica: int = 1) -> int:
        return SERVICES[name][2] + self.port_offset + (replica - 1) * REPLICA_PORT_STEP

    def url(self, name: str = "gateway", replica: int = 1) -> str:
        return f"http://127.0.0.1:{self.port(name, replica)}"

    def _environ(self, name: str, replica: int) -> dict:
        environ = dict(os.environ, **self.env)
        environ["WEB_SERVER_ADDRESS"] = f"127.0.0.1:{self.port(name, replica)}"
        environ["PYTHONPATH"] = str(ROOT)
        environ["PYTHONWARNINGS"] = QUIET_EVENTLET
        return environ

    def _pidfile(self, name: str, replica: int) -> Path:
        return self.run_dir / "pids" / f"{name}-{replica}.pid"

    def run(self, *args: str) -> None:
        """A one-off command in this stack's environment (migrate, declare, seed)."""
        subprocess.run(args, cwd=ROOT, env=dict(os.environ, **self.env), check=True)

    def prepare(self) -> None:
        self.run(str(VENV_BIN / "lapor"), "migrate")
        self.run(str(VENV_BIN / "lapor"), "declare")
        self.run(str(VENV_BIN / "python"), "-m", "services.sipp.seed")

    def start(self, name: str, replica: int = 1) -> int:
        module, config, _ = SERVICES[name]
        (self.run_dir / "pids").mkdir(parents=True, exist_ok=True)
        (self.run_dir / "logs").mkdir(parents=True, exist_ok=True)
        log = open(self.run_dir / "logs" / f"{name}-{replica}.log", "ab")
        process = subprocess.Popen(
            [str(VENV_BIN / "nameko"), "run", "--config", config, module],
            cwd=ROOT,
            env=self._environ(name, replica),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._pidfile(name, replica).write_text(str(process.pid))
        return process.pid

    def start_mail_catcher(self, port: int) -> int:
        maildir = self.run_dir / "mail"
        for sub in ("tmp", "new", "cur"):  # a Maildir
            (maildir / sub).mkdir(parents=True, exist_ok=True)
        (self.run_dir / "pids").mkdir(parents=True, exist_ok=True)
        process = subprocess.Popen(
            [
                str(VENV_BIN / "python"),
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                f"127.0.0.1:{port}",
                "-c",
                "aiosmtpd.handlers.Mailbox",
                str(maildir),
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        (self.run_dir / "pids" / "mail-1.pid").write_text(str(process.pid))
        return process.pid

    def start_kannel(self) -> str:
        """Kannel (bearerbox, smsbox) with fakesmsc as the operator, when the
        Debian packages are installed: notify sends SMS through it, SMS to 1708
        reach intake. What it says of itself, for `make up` to print."""
        from lapor.testing import kannel

        if not kannel.installed():
            return "SMS: off (apt-get install kannel kannel-extras for Kannel with a fake operator)"
        sms = kannel.Kannel(
            self.run_dir / "kannel",
            mo_url=f"{self.url()}/channels/sms?{kannel.MO_QUERY}",
            follow_operator=False,
        ).start()
        self.env.update(sms.client_env())
        for name, pid in sms.pids().items():
            (self.run_dir / "pids" / f"kannel_{name}-1.pid").write_text(str(pid))
        return (
            f"SMS: Kannel on {sms.sendsms_url}; the fake operator's log (MT received) is "
            f"{sms.run_dir}/fakesmsc.out"
        )

    def kill(self, name: str, replica: int = 1, sig: int = signal.SIGKILL) -> None:
        """Signal a service's process group; `running()` forgets it once it is gone."""
        pidfile = self._pidfile(name, replica)
        if pidfile.exists():
            try:
                os.killpg(int(pidfile.read_text()), sig)
            except ProcessLookupError:
                pass

    def running(self) -> list[tuple[str, int]]:
        found = []
        for pidfile in sorted((self.run_dir / "pids").glob("*.pid")):
            name, replica = pidfile.stem.rsplit("-", 1)
            if _alive(int(pidfile.read_text())):
                found.append((name, int(replica)))
            else:
                pidfile.unlink(missing_ok=True)
        return found

    def stop_all(self) -> None:
        for name, replica in self.running():
            self.kill(name, replica, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while self.running() and time.monotonic() < deadline:
            time.sleep(0.2)
        for name, replica in self.running():
            self.kill(name, replica, signal.SIGKILL)

    def wait_ready(self, name: str, replica: int = 1, timeout: float = 60.0) -> None:
        url = f"{self.url(name, replica)}/health/ready"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urlopen(url, timeout=2) as answer:
                    if answer.status == 200:
                        return
            except (URLError, OSError):
                pass
            time.sleep(0.2)
        raise TimeoutError(f"{name}-{replica} not ready at {url}; see {self.run_dir}/logs")

    def up(self, replicas: dict[str, int] | None = None) -> None:
        replicas = replicas or {}
        for name in SERVICES:
            for replica in range(1, replicas.get(name, 1) + 1):
                self.start(name, replica)
        for name in SERVICES:
            for replica in range(1, replicas.get(name, 1) + 1):
                self.wait_ready(name, replica)


def _alive(pid: int) -> bool:
    """True while the process runs; a child that exited is reaped, not counted."""
    try:
        reaped, _ = os.waitpid(pid, os.WNOHANG)
        if reaped == pid:
            return False
    except ChildProcessError:
        pass  # not our child (started by an earlier `make up`)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


# the keys a local stack needs (PINs, notify's links, the web pages' cookies),
# and the run file each is kept in
LOCAL_SECRETS = (
    ("LAPOR_PIN_SECRET", "pin-secret"),
    ("LAPOR_NOTIFY_SECRET", "notify-secret"),
    ("LAPOR_WEB_SECRET", "web-secret"),
)


def _local_secret(path: Path, variable: str) -> str:
    """This machine's key: made once, kept with the run files (mode 600),
    unless the environment sets `variable`."""
    if os.environ.get(variable):
        return os.environ[variable]
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_hex(32))
    return path.read_text().strip()


def _ensure_infrastructure() -> None:
    """Start the local PostgreSQL and RabbitMQ if they are installed but stopped."""
    if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode != 0:
        versions = sorted(os.listdir("/etc/postgresql"))
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"],
            check=True,
        )
    if subprocess.run(["rabbitmqctl", "-q", "status"], capture_output=True).returncode != 0:
        subprocess.run(["rabbitmq-server", "-detached"], check=True)
        subprocess.run(["rabbitmqctl", "-q", "await_startup"], check=True)
    # agency broker users (lapor agency-amqp-user) are made through the management API
    subprocess.run(
        ["rabbitmq-plugins", "-q", "enable", "rabbitmq_management"], check=True, capture_output=True
    )


def _ensure_database(url: str) -> None:
    import sqlalchemy as sa

    from lapor.db import create_engine

    base, name = url.rsplit("/", 1)
    admin = create_engine(base + "/postgres", pool_size=1, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).first():
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def main(command: str) -> None:
    from lapor import config

    stack = Stack(
        ROOT / ".run", env={"DATABASE_URL": config.database_url(), "AMQP_URI": config.amqp_uri()}
    )
    if command == "up":
        if stack.running():
            stack.stop_all()
        _ensure_infrastructure()
        _ensure_database(config.database_url())
        for variable, file in LOCAL_SECRETS:
            stack.env[variable] = _local_secret(stack.run_dir / file, variable)
        smtp_port = int(os.environ.get("SMTP_PORT", 1025))
        stack.env["SMTP_PORT"] = str(smtp_port)
        stack.prepare()
        stack.start_mail_catcher(smtp_port)
        sms = stack.start_kannel()
        replicas = {name: int(os.environ.get(name.upper(), 1)) for name in SERVICES}
        stack.up(replicas)
        print(f"Lapor is running at {stack.url()}  (logs: make logs; mail: {stack.run_dir}/mail)")
        print(sms)
    elif command == "down":
        stack.stop_all()
        print("stopped")
    elif command == "status":
        for name, replica in stack.running():
            where = stack.url(name, replica) if name in SERVICES else "(support process)"
            print(f"{name}-{replica}\t{where}")
    elif command == "clean":
        stack.stop_all()
        shutil.rmtree(stack.run_dir, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "status")
