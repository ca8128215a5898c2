"""Validate what deploys Lapor: docker-compose.yml, the Kubernetes overlays, the
Prometheus configuration and alert rules, and the Grafana dashboards.

    .venv/bin/python -m deploy.validate            # this checkout; exit 1 on any problem
    .venv/bin/python -m deploy.validate --root DIR # a copy (tests break one on purpose)

The tools do the syntax: `docker-compose config -q` (Debian's docker-compose),
`kubectl kustomize` piped into `kubernetes-validate --strict` (built-in kinds),
`promtool check rules|config` (Debian's prometheus). This module adds what they
cannot know: the custom resources (RabbitmqCluster, CloudNativePG Cluster and
ScheduledBackup) checked by structure, that every process of
`deploy/local/stack.py` SERVICES has a Deployment with the same command, port
and probes, a Service, a PodDisruptionBudget and (but the relay) an autoscaler,
that every secret and config map a pod reads exists or is one the operators
make, that only the gateway is reachable from outside, and that dashboards and
alerts use only metric names the code exports, and that every setting a
process reads from its environment is documented in docs/operations.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from deploy.local.stack import SERVICES  # noqa: E402

OVERLAYS = ("dev", "prod")
# settings a service refuses to start without
REQUIRED_ENV = {
    "intake": ("LAPOR_PIN_SECRET",),
    "notify": ("LAPOR_NOTIFY_SECRET",),
    "gateway": ("LAPOR_WEB_SECRET",),
}
# made by the operators (CloudNativePG, RabbitMQ) or by hand before the first
# apply (docs/operations.md); every other reference must resolve in the build
EXTERNAL_SECRETS = {"lapor-db-app", "lapor-rabbitmq-default-user", "lapor-secrets",
                    "lapor-backup-s3", "lapor-tls"}  # fmt: skip
# namespaces whose pods may reach more than the gateway: Prometheus and the operators
TRUSTED_NAMESPACES = {"monitoring", "rabbitmq-system", "cnpg-system"}
# metrics that are not Lapor's own; and those an open issue will add
FOREIGN_METRIC_PREFIXES = ("rabbitmq_", "process_", "python_", "cnpg_", "pg_")
FOREIGN_METRICS = {"up"}
RABBITMQ_SPEC = {
    "replicas", "image", "imagePullSecrets", "service", "persistence", "resources", "affinity",
    "tolerations", "rabbitmq", "tls", "override", "skipPostDeploySteps",
    "terminationGracePeriodSeconds", "delayStartSeconds", "secretBackend",
    "autoEnableAllFeatureFlags",
}  # fmt: skip
CNPG_CLUSTER_SPEC = {
    "instances", "imageName", "imageCatalogRef", "imagePullPolicy", "imagePullSecrets",
    "postgresql", "bootstrap", "storage", "walStorage", "tablespaces", "backup", "monitoring",
    "resources", "affinity", "topologySpreadConstraints", "primaryUpdateStrategy",
    "primaryUpdateMethod", "superuserSecret", "enableSuperuserAccess", "description",
    "inheritedMetadata", "minSyncReplicas", "maxSyncReplicas", "replica", "replicationSlots",
    "managed", "plugins", "externalClusters", "startDelay", "stopDelay", "smartShutdownTimeout",
    "switchoverDelay", "failoverDelay", "logLevel", "env", "envFrom", "certificates",
    "nodeMaintenanceWindow", "priorityClassName", "schedulerName", "serviceAccountTemplate",
    "projectedVolumeTemplate", "ephemeralVolumeSource", "ephemeralVolumesSizeLimit",
    "seccompProfile", "enablePDB", "livenessProbeTimeout", "probes", "podSecurityContext",
    "securityContext", "postgresUID", "postgresGID",
}  # fmt: skip
CNPG_BACKUP_SPEC = {
    "schedule", "cluster", "backupOwnerReference", "method", "immediate", "suspend", "target",
    "online", "onlineConfiguration", "pluginConfiguration",
}  # fmt: skip


class Problems(list):
    def add(self, where: str, what: str) -> None:
        self.append(f"{where}: {what}")


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def tool(name: str) -> str:
    """A command from the virtualenv (kubernetes-validate) or from PATH."""
    local = Path(sys.executable).parent / name
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} is not installed (see .ci/run)")
    return found


# -- docker-compose ----------------------------------------------------------


def check_compose(root: Path) -> Problems:
    problems = Problems()
    required = {name for names in REQUIRED_ENV.values() for name in names}
    env = dict(os.environ, **dict.fromkeys(required, "validate-only-0123456789abcdef"))
    answer = run([tool("docker-compose"), "--project-directory", str(root),
                  "-f", str(root / "docker-compose.yml"), "config", "-q"], env=env)  # fmt: skip
    if answer.returncode != 0:
        problems.add("docker-compose config -q", (answer.stderr or answer.stdout).strip())
        return problems
    compose = yaml.safe_load((root / "docker-compose.yml").read_text())
    services = compose.get("services", {})
    for name, (module, config, _port) in SERVICES.items():
        service = services.get(name)
        if service is None:
            problems.add("docker-compose.yml", f"no service {name!r}")
            continue
        command = service.get("command") or []
        if module not in command or config not in command:
            problems.add("docker-compose.yml", f"{name} does not run {module} with {config}")
    for needed in ("rabbitmq", "postgres", "migrate", "mail", "bearerbox", "smsbox",
                   "prometheus", "grafana"):  # fmt: skip
        if needed not in services:
            problems.add("docker-compose.yml", f"no service {needed!r}")
    for name, service in services.items():
        if service.get("ports") and name not in ("gateway", "prometheus", "grafana", "rabbitmq"):
            problems.add("docker-compose.yml", f"{name} publishes a port; only the gateway may")
    return problems


# -- Kubernetes ----------------------------------------------------------------


def kustomize(overlay: Path) -> tuple[str, str | None]:
    answer = run([tool("kubectl"), "kustomize", str(overlay)])
    if answer.returncode != 0:
        return "", (answer.stderr or answer.stdout).strip()
    return answer.stdout, None


def check_overlay(root: Path, overlay: str) -> Problems:
    problems = Problems()
    where = f"deploy/k8s/overlays/{overlay}"
    text, error = kustomize(root / "deploy" / "k8s" / "overlays" / overlay)
    if error:
        problems.add(f"kubectl kustomize {where}", error)
        return problems
    answer = run([tool("kubernetes-validate"), "--strict", "--quiet", "-"], input=text)
    for line in answer.stdout.splitlines():
        if not line.startswith("WARN") or "Couldn't find schema" not in line:
            problems.add(f"kubernetes-validate --strict ({overlay})", line)
    if answer.returncode != 0 and not problems:
        problems.add(f"kubernetes-validate --strict ({overlay})", answer.stderr.strip())
    docs = [d for d in yaml.safe_load_all(text) if d]
    check_resources(docs, overlay, problems.add)
    return problems


def _by_kind(docs: list[dict]) -> dict[str, dict[str, dict]]:
    found: dict[str, dict[str, dict]] = {}
    for doc in docs:
        found.setdefault(doc.get("kind", "?"), {})[doc["metadata"]["name"]] = doc
    return found


def _matches(selector: dict, labels: dict) -> bool:
    wanted = selector.get("matchLabels", {}) if "matchLabels" in selector else selector
    return all(labels.get(k) == v for k, v in wanted.items())


def check_resources(docs: list[dict], overlay: str, add) -> None:
    kinds = _by_kind(docs)
    deployments = kinds.get("Deployment", {})
    prod = overlay == "prod"
    for name, (module, config, port) in SERVICES.items():
        where = f"{overlay}: Deployment {name}"
        deployment = deployments.get(name)
        if deployment is None:
            add(f"{overlay}", f"no Deployment for the service {name}")
            continue
        check_deployment(deployment, module, config, port, where, add)
        pod_labels = deployment["spec"]["template"]["metadata"].get("labels", {})
        if not any(_matches(s["spec"].get("selector", {}), pod_labels)
                   for s in kinds.get("Service", {}).values()):  # fmt: skip
            add(where, "no Service selects its pods")
        pdbs = [p for p in kinds.get("PodDisruptionBudget", {}).values()
                if _matches(p["spec"].get("selector", {}), pod_labels)]  # fmt: skip
        if not pdbs:
            add(where, "no PodDisruptionBudget selects its pods")
        hpas = [h for h in kinds.get("HorizontalPodAutoscaler", {}).values()
                if h["spec"]["scaleTargetRef"].get("name") == name]  # fmt: skip
        if name != "relay" and not hpas:
            add(where, "no HorizontalPodAutoscaler scales it")
        if prod:
            if deployment["spec"].get("replicas", 1) < 2:
                add(where, "fewer than 2 replicas in prod")
            for hpa in hpas:
                if hpa["spec"].get("minReplicas", 1) < 2:
                    add(where, "its autoscaler may go below 2 replicas in prod")
    for hpa in kinds.get("HorizontalPodAutoscaler", {}).values():
        target = hpa["spec"]["scaleTargetRef"].get("name")
        if target not in deployments:
            add(f"{overlay}: HorizontalPodAutoscaler {hpa['metadata']['name']}",
                f"scales {target!r}, which is not a Deployment here")  # fmt: skip
    check_references(docs, kinds, overlay, add)
    check_jobs(kinds, overlay, add)
    check_exposure(kinds, overlay, add)
    check_custom_resources(kinds, overlay, add)


def check_deployment(deployment: dict, module: str, config: str, port: int, where: str,
                     add) -> None:  # fmt: skip
    containers = deployment["spec"]["template"]["spec"].get("containers", [])
    if not containers:
        add(where, "no container")
        return
    c = containers[0]
    expected = ["nameko", "run", "--config", config, module]
    if c.get("command") != expected:
        add(where, f"command {c.get('command')} is not {expected}")
    env = {e["name"]: e for e in c.get("env", [])}
    address = env.get("WEB_SERVER_ADDRESS", {}).get("value", "")
    if not address.endswith(f":{port}"):
        add(where, f"WEB_SERVER_ADDRESS {address!r} is not on port {port}")
    ports = {p.get("name"): p["containerPort"] for p in c.get("ports", [])}
    if port not in ports.values():
        add(where, f"no containerPort {port}")
    for probe, path in (("livenessProbe", "/health/live"), ("readinessProbe", "/health/ready")):
        http = (c.get(probe) or {}).get("httpGet") or {}
        probe_port = ports.get(http.get("port"), http.get("port"))
        if http.get("path") != path or probe_port != port:
            add(where, f"{probe} is not GET {path} on port {port}")
    resources = c.get("resources", {})
    for part in ("requests", "limits"):
        if not {"cpu", "memory"} <= set(resources.get(part, {})):
            add(where, f"no cpu and memory {part}")
    for variable in REQUIRED_ENV.get(deployment["metadata"]["name"], ()):
        if variable not in env:
            add(where, f"needs {variable} (it does not start without one)")
    for var in ("DATABASE_URL", "AMQP_URI"):
        if not env.get(var, {}).get("value"):
            add(where, f"no {var}")


def _walk(node) -> Iterable[tuple[str, dict]]:
    """(key, value) of every mapping below node."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, dict):
                yield key, value
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def check_references(docs: list[dict], kinds: dict, overlay: str, add) -> None:
    secrets = set(kinds.get("Secret", {})) | EXTERNAL_SECRETS
    config_maps = set(kinds.get("ConfigMap", {}))
    for doc in docs:
        where = f"{overlay}: {doc['kind']} {doc['metadata']['name']}"
        for key, value in _walk(doc.get("spec", {})):
            if key in ("secretKeyRef", "secretRef") and value.get("name") not in secrets:
                add(where, f"reads the secret {value.get('name')!r}, which nothing makes")
            if key in ("configMapKeyRef", "configMapRef") and value.get("name") not in config_maps:
                add(where, f"reads the config map {value.get('name')!r}, which is not here")
            if key == "secret" and "secretName" in value and value["secretName"] not in secrets:
                add(where, f"mounts the secret {value['secretName']!r}, which nothing makes")
    rabbit = set(kinds.get("RabbitmqCluster", {}))
    clusters = set(kinds.get("Cluster", {}))
    for kind in ("Deployment", "Job"):
        for name, doc in kinds.get(kind, {}).items():
            for c in doc["spec"]["template"]["spec"].get("containers", []):
                env = {e["name"]: e.get("value", "") for e in c.get("env", [])}
                db = re.search(r"@([^:/]+)", env.get("DATABASE_URL", ""))
                if db and db.group(1).removesuffix("-rw") not in clusters:
                    add(f"{overlay}: {kind} {name}",
                        f"DATABASE_URL host {db.group(1)!r}: no Cluster -rw")  # fmt: skip
                mq = re.search(r"@([^:/]+)", env.get("AMQP_URI", ""))
                if mq and mq.group(1) not in rabbit:
                    add(f"{overlay}: {kind} {name}",
                        f"AMQP_URI host {mq.group(1)!r} is no RabbitmqCluster")  # fmt: skip


def check_jobs(kinds: dict, overlay: str, add) -> None:
    commands = [" ".join(c.get("command", []) + c.get("args", []))
                for job in kinds.get("Job", {}).values()
                for c in job["spec"]["template"]["spec"].get("containers", [])]  # fmt: skip
    if not any("lapor migrate" in c and "lapor declare" in c for c in commands):
        add(overlay, "no Job runs `lapor migrate` and `lapor declare`")


def _gateway_only(selector: dict) -> bool:
    return selector.get("matchLabels", {}).get("app.kubernetes.io/name") == "gateway"


def check_exposure(kinds: dict, overlay: str, add) -> None:
    """Only the gateway is reachable from outside the namespace."""
    policies = kinds.get("NetworkPolicy", {})
    if not any(p["spec"].get("podSelector") == {} and "Ingress" in p["spec"].get("policyTypes", [])
               and not p["spec"].get("ingress") for p in policies.values()):  # fmt: skip
        add(overlay, "no NetworkPolicy denies ingress to every pod by default")
    for name, policy in policies.items():
        for rule in policy["spec"].get("ingress", []) or []:
            peers = rule.get("from")
            outside = not peers or any(
                "ipBlock" in peer
                or ("namespaceSelector" in peer and not _trusted(peer["namespaceSelector"]))
                for peer in peers
            )
            if outside and not _gateway_only(policy["spec"].get("podSelector", {})):
                add(f"{overlay}: NetworkPolicy {name}",
                    "lets traffic from outside reach more than the gateway")  # fmt: skip
    for name, service in kinds.get("Service", {}).items():
        if service["spec"].get("type") in ("NodePort", "LoadBalancer") and name != "gateway":
            add(f"{overlay}: Service {name}", "is exposed outside the cluster; only the gateway")
    for name, ingress in kinds.get("Ingress", {}).items():
        for _, backend in _walk(ingress["spec"]):
            if "name" in backend and "port" in backend and backend["name"] != "gateway":
                add(f"{overlay}: Ingress {name}", f"routes to {backend['name']!r}, not the gateway")


def _trusted(selector: dict) -> bool:
    name = selector.get("matchLabels", {}).get("kubernetes.io/metadata.name")
    return name in TRUSTED_NAMESPACES


def check_custom_resources(kinds: dict, overlay: str, add) -> None:
    prod = overlay == "prod"
    rabbits = kinds.get("RabbitmqCluster", {})
    if len(rabbits) != 1:
        add(overlay, f"expected one RabbitmqCluster, found {len(rabbits)}")
    for name, doc in rabbits.items():
        where = f"{overlay}: RabbitmqCluster {name}"
        spec = doc.get("spec") or {}
        if doc.get("apiVersion") != "rabbitmq.com/v1beta1":
            add(where, f"apiVersion {doc.get('apiVersion')!r} is not rabbitmq.com/v1beta1")
        for key in sorted(set(spec) - RABBITMQ_SPEC):
            add(where, f"unknown field spec.{key}")
        replicas = spec.get("replicas", 1)
        if not isinstance(replicas, int) or replicas < 1 or replicas % 2 == 0:
            add(where, f"replicas {replicas!r}: an odd number, for quorum queues' majorities")
        if prod and isinstance(replicas, int) and replicas < 3:
            add(where, "prod needs 3 nodes or more")
        config = (spec.get("rabbitmq") or {}).get("additionalConfig", "")
        if "default_queue_type = quorum" not in config:
            add(where, "additionalConfig does not make quorum the default queue type")
        if not isinstance((spec.get("persistence") or {}).get("storage"), str):
            add(where, "no spec.persistence.storage size")
    clusters = kinds.get("Cluster", {})
    if len(clusters) != 1:
        add(overlay, f"expected one CloudNativePG Cluster, found {len(clusters)}")
    for name, doc in clusters.items():
        where = f"{overlay}: Cluster {name}"
        spec = doc.get("spec") or {}
        if doc.get("apiVersion") != "postgresql.cnpg.io/v1":
            add(where, f"apiVersion {doc.get('apiVersion')!r} is not postgresql.cnpg.io/v1")
        for key in sorted(set(spec) - CNPG_CLUSTER_SPEC):
            add(where, f"unknown field spec.{key}")
        instances = spec.get("instances")
        if not isinstance(instances, int) or instances < 1:
            add(where, f"instances {instances!r} is not a positive integer")
        elif prod and instances < 2:
            add(where, "prod needs a replica: instances >= 2")
        if not isinstance((spec.get("storage") or {}).get("size"), str):
            add(where, "no spec.storage.size")
        initdb = (spec.get("bootstrap") or {}).get("initdb") or {}
        if initdb.get("database") != "lapor":
            add(where, "bootstrap.initdb.database is not lapor")
        if prod:
            store = (spec.get("backup") or {}).get("barmanObjectStore") or {}
            if not store.get("destinationPath"):
                add(where, "prod needs backups: spec.backup.barmanObjectStore.destinationPath")
    backups = kinds.get("ScheduledBackup", {})
    if prod and not backups:
        add(overlay, "prod needs a ScheduledBackup")
    for name, doc in backups.items():
        where = f"{overlay}: ScheduledBackup {name}"
        spec = doc.get("spec") or {}
        for key in sorted(set(spec) - CNPG_BACKUP_SPEC):
            add(where, f"unknown field spec.{key}")
        if (spec.get("cluster") or {}).get("name") not in clusters:
            add(where, f"backs up {spec.get('cluster')!r}, which is no Cluster here")
        if len(str(spec.get("schedule", "")).split()) != 6:
            add(where, "schedule needs six fields (seconds first)")


# -- Prometheus and Grafana ----------------------------------------------------


def check_prometheus(root: Path) -> Problems:
    problems = Problems()
    monitoring = root / "deploy" / "monitoring"
    promtool = tool("promtool")
    answer = run([promtool, "check", "rules", str(monitoring / "alerts.yml")])
    if answer.returncode != 0:
        problems.add("promtool check rules", (answer.stderr + answer.stdout).strip())
    answer = run([promtool, "check", "config", str(monitoring / "prometheus.yml")])
    if answer.returncode != 0:
        problems.add("promtool check config", (answer.stderr + answer.stdout).strip())
    # Debian's promtool is built without Kubernetes service discovery: check the
    # rest of prometheus-k8s.yml with static targets in its place
    with tempfile.TemporaryDirectory() as tmp:
        k8s = yaml.safe_load((monitoring / "prometheus-k8s.yml").read_text())
        for job in k8s.get("scrape_configs", []):
            if job.pop("kubernetes_sd_configs", None) is not None:
                job["static_configs"] = [{"targets": ["localhost:9090"]}]
        (Path(tmp) / "prometheus-k8s.yml").write_text(yaml.safe_dump(k8s))
        shutil.copy(monitoring / "alerts.yml", Path(tmp) / "alerts.yml")
        answer = run([promtool, "check", "config", str(Path(tmp) / "prometheus-k8s.yml")])
        if answer.returncode != 0:
            problems.add("promtool check config (prometheus-k8s.yml)",
                         (answer.stderr + answer.stdout).strip())  # fmt: skip
    rules = yaml.safe_load((monitoring / "alerts.yml").read_text()) or {}
    exprs = [r.get("expr", "") for g in rules.get("groups", []) for r in g.get("rules", [])]
    for metric in sorted(unknown_metrics(exprs, root)):
        problems.add("deploy/monitoring/alerts.yml", f"no code exports the metric {metric}")
    names = {r.get("alert") for g in rules.get("groups", []) for r in g.get("rules", [])}
    for needed in ("LaporConsumerLagHigh", "LaporRelayLagHigh", "LaporEventsParked",
                   "LaporSlaBreachRate", "LaporGateway5xxRate", "RabbitmqMemoryAlarm",
                   "RabbitmqDiskAlarm"):  # fmt: skip
        if needed not in names:
            problems.add("deploy/monitoring/alerts.yml", f"no alert {needed}")
    return problems


def check_grafana(root: Path) -> Problems:
    problems = Problems()
    folder = root / "deploy" / "monitoring" / "grafana" / "dashboards"
    found = sorted(folder.glob("*.json"))
    expected = {"overview.json"} | {f"{name}.json" for name in SERVICES}
    for missing in sorted(expected - {p.name for p in found}):
        problems.add(str(folder.relative_to(root)), f"no dashboard {missing}")
    for path in found:
        where = str(path.relative_to(root))
        try:
            board = json.loads(path.read_text())
        except json.JSONDecodeError as exc:
            problems.add(where, f"not JSON: {exc}")
            continue
        if not board.get("uid") or not board.get("title"):
            problems.add(where, "no uid or title")
        exprs = [t.get("expr", "") for p in board.get("panels", []) for t in p.get("targets", [])]
        if not exprs:
            problems.add(where, "no queries")
        for metric in sorted(unknown_metrics(exprs, root)):
            problems.add(where, f"no code exports the metric {metric}")
    return problems


_METRIC = re.compile(r"\b(?:Counter|Gauge|Histogram|Summary)\(\s*f?[\"']([a-zA-Z_:{}]+)[\"']")
_SERVICE_NAME = re.compile(r"^\s+name = \"([a-z_]+)\"", re.M)
_PROMQL_KEYWORDS = {"sum", "max", "min", "avg", "count", "rate", "increase", "by", "without",
                    "histogram_quantile", "absent", "on", "ignoring", "and", "or", "unless",
                    "deriv", "le", "bool", "offset", "humanizePercentage"}  # fmt: skip


def exported_metrics(root: Path) -> set[str]:
    """Metric families the code defines; f"lapor_{service}_..." for every service name."""
    sources = [p for d in ("lapor", "services") for p in (root / d).rglob("*.py")
               if "tests" not in p.parts]  # fmt: skip
    services = set()
    families = set()
    for path in sources:
        text = path.read_text()
        services.update(_SERVICE_NAME.findall(text))
        families.update(_METRIC.findall(text))
    names = set()
    for family in families:
        if "{service}" in family:
            names.update(family.replace("{service}", s) for s in services)
        else:
            names.add(family)
    return names


def unknown_metrics(exprs: list[str], root: Path) -> set[str]:
    known = exported_metrics(root) | FOREIGN_METRICS
    unknown = set()
    for expr in exprs:
        no_strings = re.sub(r'"[^"]*"', '""', expr)
        no_strings = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)",
                            "", no_strings)  # fmt: skip
        no_labels = re.sub(r"\{[^}]*\}", "", no_strings)
        no_ranges = re.sub(r"\[[^\]]*\]", "", no_labels)
        for token in re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", no_ranges):
            if token in _PROMQL_KEYWORDS or token.startswith(FOREIGN_METRIC_PREFIXES):
                continue
            base = re.sub(r"_(bucket|count|sum|created)$", "", token)
            if token not in known and base not in known:
                unknown.add(token)
    return unknown


# -- settings ------------------------------------------------------------------

CONFIG_VARIABLE = re.compile(r"\$\{([A-Z][A-Z0-9_]*)")
CODE_VARIABLE = re.compile(
    r"""(?:environ(?:\.get\(|\[)|env_(?:int|float)\()\s*["']([A-Z][A-Z0-9_]*)["']"""
)
NOT_SETTINGS = {"PYTHONPATH", "PYTHONWARNINGS", "LAPOR_KEEP_TEST_DB"}  # tooling, not settings


def settings_read(root: Path) -> dict[str, str]:
    """Every environment variable a config.yaml or a non-test module reads: where."""
    found: dict[str, str] = {}
    for config in sorted(root.glob("services/*/config.yaml")):
        for name in CONFIG_VARIABLE.findall(config.read_text()):
            found.setdefault(name, str(config.relative_to(root)))
    for package in ("lapor", "services", "deploy"):
        for module in sorted((root / package).rglob("*.py")):
            if "tests" in module.parts or "testing" in module.parts:
                continue
            for name in CODE_VARIABLE.findall(module.read_text()):
                found.setdefault(name, str(module.relative_to(root)))
    return {k: v for k, v in found.items() if k not in NOT_SETTINGS}


def check_settings(root: Path) -> Problems:
    problems = Problems()
    text = (root / "docs" / "operations.md").read_text()
    section = text.split("## Settings", 1)[-1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]*)`", section))
    for name, where in sorted(settings_read(root).items()):
        if name not in documented:
            problems.add("docs/operations.md", f"setting {name} ({where}) is not documented")
    return problems


# -- all of it -------------------------------------------------------------------


def validate(root: Path = ROOT) -> list[tuple[str, Problems]]:
    """Every check, in order: (its name, the problems it found)."""
    results = [("docker-compose", check_compose(root))]
    for overlay in OVERLAYS:
        results.append((f"kubernetes {overlay}", check_overlay(root, overlay)))
    results.append(("prometheus", check_prometheus(root)))
    results.append(("grafana", check_grafana(root)))
    results.append(("settings", check_settings(root)))
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    failed = 0
    for name, problems in validate(args.root.resolve()):
        print(f"{name}: {'ok' if not problems else f'{len(problems)} problem(s)'}")
        for problem in problems:
            print(f"  {problem}")
        failed += len(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
