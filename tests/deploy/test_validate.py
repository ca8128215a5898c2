"""The deployment validations pass on this checkout and fail on a broken copy.

Each broken case copies what deploy/validate.py reads into a temporary
directory, breaks one thing the way a person might, and checks that the
validation names it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from deploy import validate

ROOT = Path(__file__).resolve().parents[2]
COPIED = ("docker-compose.yml", "deploy", "lapor", "services", "docs")


@pytest.fixture(scope="module")
def results():
    return dict(validate.validate(ROOT))


@pytest.mark.parametrize(
    "check",
    ["docker-compose", "kubernetes dev", "kubernetes prod", "prometheus", "grafana", "settings"],
)
def test_the_checkout_passes(results, check):
    assert results[check] == []


def test_the_dashboards_are_what_the_generator_writes():
    from deploy.monitoring import dashboards

    assert dashboards.main(["--check"]) == 0


@pytest.fixture
def copy(tmp_path):
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def problems(copy: Path, check) -> str:
    found = check(copy)
    assert found, "the broken copy passed"
    return "\n".join(found)


def test_kubernetes_validate_rejects_an_unknown_field(copy):
    edit(copy / "deploy/k8s/base/services/routing.yaml", "  revisionHistoryLimit: 5",
         "  revisionHistoryLimt: 5")  # fmt: skip
    found = problems(copy, lambda root: validate.check_overlay(root, "prod"))
    assert "kubernetes-validate --strict" in found and "revisionHistoryLimt" in found


def test_kubernetes_validate_rejects_a_wrong_type(copy):
    edit(copy / "deploy/k8s/base/services/tracking.yaml", "containerPort: 8103",
         "containerPort: eighty-one-oh-three")  # fmt: skip
    found = problems(copy, lambda root: validate.check_overlay(root, "prod"))
    assert "kubernetes-validate --strict" in found


def test_kustomize_fails_on_a_missing_resource(copy):
    (copy / "deploy/k8s/base/ingress.yaml").unlink()
    found = problems(copy, lambda root: validate.check_overlay(root, "dev"))
    assert "kubectl kustomize" in found


def test_a_probe_on_the_wrong_path_is_found(copy):
    edit(copy / "deploy/k8s/base/services/intake.yaml", "path: /health/ready", "path: /ready")
    found = problems(copy, lambda root: validate.check_overlay(root, "prod"))
    assert "Deployment intake: readinessProbe is not GET /health/ready on port 8101" in found


def test_a_service_without_deployment_is_found(copy):
    kustomization = copy / "deploy/k8s/base/kustomization.yaml"
    edit(kustomization, "  - services/notify.yaml\n", "")
    found = problems(copy, lambda root: validate.check_overlay(root, "dev"))
    assert "no Deployment for the service notify" in found


def test_a_second_exposed_service_is_found(copy):
    edit(copy / "deploy/k8s/base/network-policies.yaml",
         "      app.kubernetes.io/name: gateway\n",
         "      app.kubernetes.io/name: intake\n")  # fmt: skip
    found = problems(copy, lambda root: validate.check_overlay(root, "prod"))
    assert "NetworkPolicy gateway-from-anywhere" in found


def test_a_broken_custom_resource_is_found(copy):
    # kubernetes-validate knows no CRDs: this is what our own structural checks catch
    edit(copy / "deploy/k8s/base/postgres.yaml", "  instances: 2", "  instance: 2")
    edit(copy / "deploy/k8s/base/rabbitmq.yaml", "  replicas: 3", "  replicas: 2")
    found = problems(copy, lambda root: validate.check_overlay(root, "prod"))
    assert "Cluster lapor-db: unknown field spec.instance" in found
    assert "RabbitmqCluster lapor-rabbitmq: replicas 2" in found


def test_a_secret_nothing_makes_is_found(copy):
    edit(copy / "deploy/k8s/base/services/intake.yaml", "name: lapor-secrets", "name: lapor-secret")
    found = problems(copy, lambda root: validate.check_overlay(root, "prod"))
    assert "reads the secret 'lapor-secret'" in found


def test_docker_compose_config_fails_on_an_undefined_dependency(copy):
    edit(copy / "docker-compose.yml", "      mail:\n        condition: service_started",
         "      mailer:\n        condition: service_started")  # fmt: skip
    found = problems(copy, validate.check_compose)
    assert "docker-compose config -q" in found


def test_promtool_rejects_a_broken_rule(copy):
    edit(copy / "deploy/monitoring/alerts.yml", "max(lapor_relay_lag_events) > 500",
         "max(lapor_relay_lag_events > 500")  # fmt: skip
    found = problems(copy, validate.check_prometheus)
    assert "promtool check rules" in found


def test_promtool_rejects_a_broken_config(copy):
    edit(copy / "deploy/monitoring/prometheus.yml", "scrape_interval: 15s", "scrape_interval: soon")
    found = problems(copy, validate.check_prometheus)
    assert "promtool check config" in found


def test_an_alert_on_a_metric_nobody_exports_is_found(copy):
    edit(copy / "deploy/monitoring/alerts.yml", "max(lapor_relay_lag_events)",
         "max(lapor_relay_lag_event)")  # fmt: skip
    found = problems(copy, validate.check_prometheus)
    assert "no code exports the metric lapor_relay_lag_event" in found


def test_a_dashboard_that_does_not_parse_is_found(copy):
    path = copy / "deploy/monitoring/grafana/dashboards/routing.json"
    path.write_text(path.read_text()[:-20])
    found = problems(copy, validate.check_grafana)
    assert "routing.json: not JSON" in found


def test_a_dashboard_on_a_renamed_metric_is_found(copy):
    path = copy / "deploy/monitoring/grafana/dashboards/tracking.json"
    board = json.loads(path.read_text())
    board["panels"][1]["targets"][0]["expr"] = "rate(lapor_tracking_workers_total[5m])"
    path.write_text(json.dumps(board))
    found = problems(copy, validate.check_grafana)
    assert "no code exports the metric lapor_tracking_workers_total" in found


def test_an_undocumented_setting_is_found(copy):
    edit(copy / "services" / "notify" / "config.yaml", "${SMTP_HOST", "${SMTP_RELAY_HOST")
    assert "SMTP_RELAY_HOST" in problems(copy, validate.check_settings)
