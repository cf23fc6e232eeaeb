"""The Helm chart (infra/helm/paraaf): linted and rendered by Helm itself, every object checked
against the Kubernetes JSON schemas, and what a Haven cluster expects of it.

Helm runs here as its own Go library (Helm SDK v4, through the PyPI package helm-python-sdk
that ships it compiled), not as the ``helm`` command: the ``helm`` binary and kubeconform are
not in the package registries this project installs from. The schema check is
kubernetes-validate (PyPI), which ships the Kubernetes JSON schemas for each version and
checks strictly (an unknown field is an error), as kubeconform does. Both are installed by
``make install`` (infra/helm/check-requirements.txt); where they are missing, those tests are
skipped and say so, and the checks of values.yaml below still run.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "infra" / "helm" / "paraaf"
LOCAL = yaml.safe_load((CHART / "ci" / "local-values.yaml").read_text("utf-8"))
GRAPH = yaml.safe_load((CHART / "ci" / "graph-values.yaml").read_text("utf-8"))
DOCKERFILE = (ROOT / "infra" / "Dockerfile").read_text("utf-8")
DATA = re.search(r"PARAAF_DATA=(\S+)", DOCKERFILE)[1]  # type: ignore[index]
# the oldest Kubernetes the chart accepts (Chart.yaml kubeVersion) and the newest schemas here
KUBE_VERSIONS = ("1.27.0", "1.37.0")
RESTRICTED_VOLUMES = {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
                      "persistentVolumeClaim", "projected", "secret"}
SECRET_NAMES = ("PARAAF_APP_PASSWORD", "PARAAF_GRAPH_CLIENT_SECRET",
                "PARAAF_GRAPH_CERT_PASSWORD")

MISSING = "helm lint/helm template could not run here: {} is not installed (make install)"


def _helm() -> Any:
    return pytest.importorskip("helm_python", reason=MISSING.format(
        "helm-python-sdk (Helm's Go SDK)"))


def render(values: dict[str, Any]) -> list[dict[str, Any]]:
    """``helm template``: every object the chart renders with these values."""
    helm = _helm()
    with helm.Chart.load(str(CHART)) as chart:
        files = chart.render(values, name="paraaf", namespace="paraaf")
    objects = []
    for path, text in sorted(files.items()):
        if path.endswith(".yaml"):
            objects += [doc for doc in yaml.safe_load_all(text) if doc]
    return objects


def one(objects: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    found = [o for o in objects if o["kind"] == kind]
    assert len(found) == 1, f"{len(found)} {kind} objects"
    return found[0]


def pod_specs(objects: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    for o in objects:
        if o["kind"] == "Deployment":
            yield "Deployment", o["spec"]["template"]["spec"]
        elif o["kind"] == "CronJob":
            yield "CronJob", o["spec"]["jobTemplate"]["spec"]["template"]["spec"]


def containers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [*spec.get("initContainers", []), *spec["containers"]]


@pytest.fixture(scope="module")
def local_objects() -> list[dict[str, Any]]:
    return render(LOCAL)


@pytest.fixture(scope="module")
def graph_objects() -> list[dict[str, Any]]:
    return render(GRAPH)


# ---------------------------------------------------------------- helm lint, schemas


@pytest.mark.parametrize("values", [None, LOCAL, GRAPH], ids=["defaults", "local", "graph"])
def test_helm_lint_finds_nothing_to_fix(values: dict[str, Any] | None) -> None:
    report = _helm().lint(str(CHART), values, strict=True)
    assert report["errors"] == []
    problems = [m for m in report["messages"] if m["severity"] >= 2]  # warnings and errors
    assert problems == []
    assert report["total_charts_linted"] == 1


@pytest.mark.parametrize("version", KUBE_VERSIONS)
@pytest.mark.parametrize("values", [LOCAL, GRAPH], ids=["local", "graph"])
def test_every_object_is_valid_for_kubernetes(values: dict[str, Any], version: str) -> None:
    kv = pytest.importorskip("kubernetes_validate", reason="kubeconform is not in the "
                             "registries here, and kubernetes-validate is not installed")
    objects = render(values)
    assert len(objects) >= 6
    for o in objects:
        kv.validate(o, version, strict=True)  # raises on any mismatch or unknown field


def test_a_broken_object_fails_the_schema_check(local_objects: list[dict[str, Any]]) -> None:
    kv = pytest.importorskip("kubernetes_validate")
    deployment = dict(one(local_objects, "Deployment"))
    deployment["spec"] = {**deployment["spec"], "replicas": "three", "replica": 3}
    with pytest.raises(kv.ValidationError):
        kv.validate(deployment, KUBE_VERSIONS[0], strict=True)


# ---------------------------------------------------------------- what Haven expects


@pytest.mark.parametrize("values", [LOCAL, GRAPH], ids=["local", "graph"])
def test_pods_run_unprivileged_on_a_read_only_root(values: dict[str, Any]) -> None:
    objects = render(values)
    uid = int(re.search(r"^USER (\d+):(\d+)$", DOCKERFILE, re.M)[1])  # type: ignore[index]
    seen = set()
    for kind, spec in pod_specs(objects):
        seen.add(kind)
        pod = spec["securityContext"]
        assert pod["runAsNonRoot"] is True
        assert pod["runAsUser"] == uid == pod["runAsGroup"]
        assert pod["seccompProfile"] == {"type": "RuntimeDefault"}
        assert spec["automountServiceAccountToken"] is False
        # the "restricted" Pod Security Standard: no host namespaces, only these volume types
        assert not {"hostNetwork", "hostPID", "hostIPC"} & set(spec)
        assert {key for v in spec["volumes"] for key in v if key != "name"} <= RESTRICTED_VOLUMES
        for c in containers(spec):
            assert not [p for p in c.get("ports", []) if "hostPort" in p]
            sc = c["securityContext"]
            assert sc["readOnlyRootFilesystem"] is True, c["name"]
            assert sc["allowPrivilegeEscalation"] is False, c["name"]
            assert sc["capabilities"]["drop"] == ["ALL"], c["name"]
            assert sc.get("privileged", False) is False
            for part in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(c["resources"][part]), (c["name"], part)
            # the only writable places: the data folder and /tmp
            assert {m["mountPath"] for m in c["volumeMounts"]} == {DATA, "/tmp"}
    assert seen == {"Deployment", "CronJob"}


def test_probes_ask_healthz_and_readyz_on_the_bot_port(
        local_objects: list[dict[str, Any]]) -> None:
    container = one(local_objects, "Deployment")["spec"]["template"]["spec"]["containers"][0]
    assert container["command"] == ["paraaf", "serve"]
    port = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert port == {"http": Settings().port}
    probes = {name: (container[name]["httpGet"]["path"], container[name]["httpGet"]["port"])
              for name in ("startupProbe", "livenessProbe", "readinessProbe")}
    assert probes == {"startupProbe": ("/healthz", "http"), "livenessProbe": ("/healthz", "http"),
                      "readinessProbe": ("/readyz", "http")}
    service = one(local_objects, "Service")
    assert service["spec"]["ports"][0]["targetPort"] == "http"


def test_tick_runs_as_a_cronjob_of_the_same_image_and_settings(
        graph_objects: list[dict[str, Any]]) -> None:
    job = one(graph_objects, "CronJob")
    bot = one(graph_objects, "Deployment")["spec"]["template"]["spec"]["containers"][0]
    tick = job["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    assert tick["command"] == ["paraaf", "tick"]
    assert job["spec"]["schedule"] == "*/15 * * * *"  # as the Bicep's tick job
    assert job["spec"]["concurrencyPolicy"] == "Forbid"
    assert tick["image"] == bot["image"] == "registry.example.nl/paraaf:0.1.0"
    assert tick["envFrom"] == bot["envFrom"]


def test_secrets_come_from_the_cluster_and_never_from_the_chart(
        graph_objects: list[dict[str, Any]]) -> None:
    assert not [o for o in graph_objects if o["kind"] == "Secret"]
    for _, spec in pod_specs(graph_objects):
        for c in containers(spec):
            assert {"secretRef": {"name": "paraaf-credentials"}} in c["envFrom"]
    config = one(graph_objects, "ConfigMap")["data"]
    assert not set(SECRET_NAMES) & set(config)


@pytest.mark.parametrize("values", [LOCAL, GRAPH], ids=["local", "graph"])
def test_the_settings_are_the_ones_paraaf_reads(values: dict[str, Any]) -> None:
    """Each PARAAF_* name is one bot/settings.py reads, and paraaf starts with these values
    (plus the Secret's)."""
    config = one(render(values), "ConfigMap")["data"]
    source = (ROOT / "bot" / "settings.py").read_text("utf-8")
    assert [name for name in config if f'"{name}"' not in source] == []
    env = {**config, "PARAAF_APP_PASSWORD": "x", "PARAAF_GRAPH_CLIENT_SECRET": "y"}
    settings = Settings.from_env(env)
    assert (settings.mode, settings.backend) == ("production", values["paraaf"].get(
        "backend", "local"))
    assert (settings.host, settings.port, str(settings.data_dir)) == ("0.0.0.0", 3978, DATA)
    assert settings.app_id == values["paraaf"]["appId"]


# ---------------------------------------------------------------- replicas and the store


def test_local_backend_one_replica_on_its_volume(local_objects: list[dict[str, Any]]) -> None:
    deployment = one(local_objects, "Deployment")
    assert deployment["spec"]["replicas"] == 1
    assert deployment["spec"]["strategy"] == {"type": "Recreate"}
    claim = one(local_objects, "PersistentVolumeClaim")
    assert claim["spec"]["accessModes"] == ["ReadWriteOnce"]
    volumes = {v["name"]: v for v in deployment["spec"]["template"]["spec"]["volumes"]}
    assert volumes["data"]["persistentVolumeClaim"]["claimName"] == claim["metadata"]["name"]
    init = deployment["spec"]["template"]["spec"]["initContainers"]
    assert [c["command"] for c in init] == [["paraaf", "demo", "--no-samples"]]
    # the tick job mounts the same volume, so it runs on the bot's node
    job = one(local_objects, "CronJob")["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert job["volumes"] == deployment["spec"]["template"]["spec"]["volumes"]
    term = job["affinity"]["podAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0]
    assert term["topologyKey"] == "kubernetes.io/hostname"
    assert not [o for o in local_objects if o["kind"] == "PodDisruptionBudget"]


def test_local_backend_refuses_several_replicas() -> None:
    helm = _helm()
    with pytest.raises(helm.HelmRenderError, match="backend=graph"):
        render({**LOCAL, "replicaCount": 2})


def test_graph_backend_several_replicas_without_a_volume(
        graph_objects: list[dict[str, Any]]) -> None:
    deployment = one(graph_objects, "Deployment")
    assert deployment["spec"]["replicas"] == 3
    assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    assert not [o for o in graph_objects if o["kind"] == "PersistentVolumeClaim"]
    assert one(graph_objects, "PodDisruptionBudget")["spec"]["minAvailable"] == 1
    assert "initContainers" not in deployment["spec"]["template"]["spec"]


@pytest.mark.parametrize(("change", "named"), [
    ({}, "paraaf.appId"),
    ({"paraaf": {**LOCAL["paraaf"], "publicUrl": ""}}, "paraaf.publicUrl"),
    ({"existingSecret": ""}, "existingSecret"),
    ({"paraaf": {**LOCAL["paraaf"], "mode": "local"}}, "production mode"),
])
def test_what_the_chart_refuses_names_the_value(change: dict[str, Any], named: str) -> None:
    helm = _helm()
    values = {**LOCAL, **change} if change else {}
    with pytest.raises(helm.HelmRenderError, match=re.escape(named)):
        render(values)


def test_the_default_values_refuse_a_single_tenant_bot_without_its_tenant() -> None:
    """values.yaml starts with appType singletenant and no tenant: paraaf refuses that at
    start (bot/settings.py), so the chart refuses it already, naming the value and the fix."""
    helm = _helm()
    paraaf = {"publicUrl": "https://paraaf.gemeente.nl", "appId": LOCAL["paraaf"]["appId"]}
    values: dict[str, Any] = {"paraaf": paraaf, "existingSecret": "paraaf-credentials"}
    with pytest.raises(helm.HelmRenderError) as refused:
        render(values)
    assert "paraaf.appTenantId" in str(refused.value)
    assert "set paraaf.appTenantId to your tenant id" in str(refused.value)
    # and with the tenant it renders
    paraaf["appTenantId"] = LOCAL["paraaf"]["appTenantId"]
    assert one(render(values), "ConfigMap")["data"]["PARAAF_APP_TENANT_ID"] == \
        LOCAL["paraaf"]["appTenantId"]


def _with(base: dict[str, Any], **paraaf: Any) -> dict[str, Any]:
    return {**base, "paraaf": {**base["paraaf"], **paraaf}}


NO_TENANT = {"appTenantId": "", "graphTenantId": "", "appType": "multitenant"}

# (values, the value named in the refusal, the environment paraaf itself would refuse at
# start or None where paraaf accepts it and only the chart can tell)
REFUSALS = [
    (_with(LOCAL, appTenantId=""), "paraaf.appTenantId", {"PARAAF_APP_TENANT_ID": ""}),
    (_with(LOCAL, appType="userassignedmsi", appTenantId=""), "paraaf.appTenantId",
     {"PARAAF_APP_TYPE": "userassignedmsi", "PARAAF_APP_TENANT_ID": ""}),
    (_with(LOCAL, appTenantId="gemeente nl"), "paraaf.appTenantId",
     {"PARAAF_APP_TENANT_ID": "gemeente nl"}),
    (_with(LOCAL, appId="paraaf-bot"), "paraaf.appId", None),
    (_with(LOCAL, publicUrl="http://paraaf.gemeente.nl"), "paraaf.publicUrl",
     {"PARAAF_PUBLIC_URL": "http://paraaf.gemeente.nl"}),
    (_with(LOCAL, publicUrl="paraaf.gemeente.nl"), "paraaf.publicUrl",
     {"PARAAF_PUBLIC_URL": "paraaf.gemeente.nl"}),
    (_with(LOCAL, otlpEndpoint="otel-collector:4318"), "paraaf.otlpEndpoint",
     {"PARAAF_OTLP_ENDPOINT": "otel-collector:4318"}),
    (_with(GRAPH, siteUrl=""), "paraaf.siteUrl", {"PARAAF_SITE_URL": ""}),
    (_with(GRAPH, siteUrl="https://gemeente.sharepoint.com/sites/paraaf/SitePages/Home.aspx"),
     "paraaf.siteUrl",
     {"PARAAF_SITE_URL": "https://gemeente.sharepoint.com/sites/paraaf/SitePages/Home.aspx"}),
    (_with(GRAPH, siteUrl="http://gemeente.sharepoint.com/sites/paraaf"), "paraaf.siteUrl",
     {"PARAAF_SITE_URL": "http://gemeente.sharepoint.com/sites/paraaf"}),
    (_with(GRAPH, **NO_TENANT), "paraaf.graphTenantId",
     {"PARAAF_APP_TYPE": "multitenant", "PARAAF_APP_TENANT_ID": "",
      "PARAAF_TENANT_ALLOWLIST": "", "PARAAF_GRAPH_TENANT_ID": ""}),
    (_with(GRAPH, graphClientId="paraaf-graph"), "paraaf.graphClientId",
     {"PARAAF_GRAPH_CLIENT_ID": "paraaf-graph"}),
    (_with(GRAPH, graphAuth="certificate"), "paraaf.extraEnv.PARAAF_GRAPH_CERT_FILE",
     {"PARAAF_GRAPH_AUTH": "certificate"}),
]


@pytest.mark.parametrize(("values", "named", "env"), REFUSALS,
                         ids=[f"{i}-{r[1]}" for i, r in enumerate(REFUSALS)])
def test_the_chart_refuses_what_paraaf_refuses_at_start(
        values: dict[str, Any], named: str, env: dict[str, str] | None) -> None:
    """Each setting bot/settings.py refuses at start, where the chart can know it, is refused
    at render time with the value's name and its fix; and paraaf does refuse it."""
    helm = _helm()
    with pytest.raises(helm.HelmRenderError) as refused:
        render(values)
    message = str(refused.value)
    assert named + ":" in message
    assert re.search(r"\b(set|use)\b", message), message  # says what to do
    if env is None:
        return
    base = GRAPH if values["paraaf"].get("backend") == "graph" else LOCAL
    config = one(render(base), "ConfigMap")["data"]
    good = {**config, "PARAAF_APP_PASSWORD": "x", "PARAAF_GRAPH_CLIENT_SECRET": "y"}
    Settings.from_env(good)  # the valid values start
    with pytest.raises(SettingsError):
        Settings.from_env({**good, **env})


# ---------------------------------------------------------------- telemetry


def test_telemetry_is_off_by_default(local_objects: list[dict[str, Any]]) -> None:
    config = one(local_objects, "ConfigMap")["data"]
    assert (config["PARAAF_OTLP_ENDPOINT"], config["PARAAF_METRICS"]) == ("", "off")
    annotations = one(local_objects, "Deployment")["spec"]["template"]["metadata"]["annotations"]
    assert not [a for a in annotations if a.startswith("prometheus.io/")]
    settings = Settings.from_env({**config, "PARAAF_APP_PASSWORD": "x"})
    assert (settings.otlp_endpoint, settings.metrics) == ("", False)


@pytest.mark.parametrize("on", ["on", True], ids=["quoted", "yaml-boolean"])
def test_telemetry_values_reach_paraaf_and_prometheus(on: Any) -> None:
    values = _with(GRAPH, otlpEndpoint="http://otel-collector.monitoring:4318", metrics=on)
    objects = render(values)
    config = one(objects, "ConfigMap")["data"]
    assert config["PARAAF_OTLP_ENDPOINT"] == "http://otel-collector.monitoring:4318"
    assert config["PARAAF_METRICS"] == "on"
    settings = Settings.from_env({**config, "PARAAF_APP_PASSWORD": "x",
                                  "PARAAF_GRAPH_CLIENT_SECRET": "y"})
    assert settings.otlp_endpoint == "http://otel-collector.monitoring:4318"
    assert settings.metrics is True
    pod = one(objects, "Deployment")["spec"]["template"]
    annotations = pod["metadata"]["annotations"]
    port = pod["spec"]["containers"][0]["ports"][0]["containerPort"]
    assert {k: v for k, v in annotations.items() if k.startswith("prometheus.io/")} == {
        "prometheus.io/scrape": "true", "prometheus.io/port": str(port),
        "prometheus.io/path": "/metrics"}
    # the tick job serves nothing: no scrape annotations there
    job = one(objects, "CronJob")["spec"]["jobTemplate"]["spec"]["template"]["metadata"]
    assert "annotations" not in job


def test_the_bicep_sets_the_telemetry_settings() -> None:
    """main.bicep passes the same telemetry settings, off by default."""
    bicep = (ROOT / "infra" / "main.bicep").read_text("utf-8")
    assert "param otlpEndpoint string = ''" in bicep
    assert re.search(r"@allowed\(\['on', 'off'\]\)\s*param metrics string = 'off'", bicep)
    assert "{ name: 'PARAAF_OTLP_ENDPOINT', value: otlpEndpoint }" in bicep
    assert "{ name: 'PARAAF_METRICS', value: metrics }" in bicep
    source = (ROOT / "bot" / "settings.py").read_text("utf-8")
    assert '"PARAAF_OTLP_ENDPOINT"' in source and '"PARAAF_METRICS"' in source


@pytest.mark.parametrize(("key", "value"), [
    ("securityContext", {"readOnlyRootFilesystem": False, "allowPrivilegeEscalation": False}),
    ("securityContext", {"readOnlyRootFilesystem": True, "allowPrivilegeEscalation": True}),
    ("podSecurityContext", {"runAsNonRoot": False}),
    ("replicaCount", 0),
])
def test_values_cannot_weaken_the_pods(key: str, value: Any) -> None:
    """values.schema.json: Helm refuses these values, in lint and in template."""
    helm = _helm()
    values = {**LOCAL, key: value}
    with pytest.raises(helm.HelmValuesError, match=key):
        render(values)
    assert _helm().lint(str(CHART), values, strict=True)["errors"]


# ---------------------------------------------------------------- always: the files



def test_chart_version_is_the_product_version() -> None:
    chart = yaml.safe_load((CHART / "Chart.yaml").read_text("utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert chart["appVersion"] == chart["version"] == project["version"]
    bicep = (ROOT / "infra" / "main.bicep").read_text("utf-8")
    assert f"param imageTag string = '{project['version']}'" in bicep  # the Azure twin


def test_default_values_keep_the_security_settings() -> None:
    """Checked without Helm too: the defaults a platform team starts from."""
    values = yaml.safe_load((CHART / "values.yaml").read_text("utf-8"))
    assert values["replicaCount"] == 1 and values["paraaf"]["backend"] == "local"
    assert values["podSecurityContext"]["runAsNonRoot"] is True
    assert values["securityContext"]["readOnlyRootFilesystem"] is True
    assert values["securityContext"]["allowPrivilegeEscalation"] is False
    assert values["tick"]["enabled"] is True
    templates = {p.name: p.read_text("utf-8") for p in (CHART / "templates").iterdir()}
    assert "path: /healthz" in templates["deployment.yaml"]
    assert "path: /readyz" in templates["deployment.yaml"]
    assert 'command: ["paraaf", "tick"]' in templates["cronjob-tick.yaml"]
    assert "kind: Secret\n" not in "".join(templates.values())
