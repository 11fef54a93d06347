"""The Connector between two instances on loopback: a publishing instance
with its own database and web server in a separate process, and this test
database as the subscriber."""

import base64
import hashlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from stedenplatform.stats.connector import ConnectorError, pull, verify
from stedenplatform.stats.models import (
    Indicator,
    Observation,
    ReceivedPackage,
    Status,
    Subscription,
)

SCRIPT = Path(__file__).with_name("publisher_instance.py")
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def publisher(tmp_path_factory):
    home = tmp_path_factory.mktemp("publisher")
    env = {
        **os.environ,
        "STEDENPLATFORM_VAR": str(home),
        "DATABASE_URL": f"sqlite:///{home / 'publisher.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "stedenplatform.settings",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    key = subprocess.run(
        [sys.executable, str(SCRIPT), "setup"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=240,
    ).stdout
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "stedenplatform"), "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        if server.poll() is not None:
            pytest.fail(f"publishing instance stopped: {server.stderr.read()[-2000:]}")
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    yield {"url": f"{base}/api/stats/connector", "key": key, "env": env}
    server.terminate()
    server.wait(timeout=10)


@pytest.mark.django_db
def test_subscriber_imports_under_namespace_skips_known_and_never_deletes(
    publisher, organisations
):
    own = Indicator.objects.create(
        code="bevolking", name="Eigen cijfer", theme_id=_theme().pk, unit="persoon"
    )
    subscription = Subscription.objects.create(
        url=publisher["url"],
        dataset="gsm",
        namespace="gsm",
        public_key=publisher["key"],
    )

    received = pull(subscription)
    assert [r.version for r in received] == [1]
    imported = Indicator.objects.get(code="gsm__bevolking")
    assert imported.namespace == "gsm"
    assert Indicator.objects.get(pk=own.pk).name == "Eigen cijfer"
    gent = Observation.objects.get(indicator=imported, area__code="44021")
    assert gent.value == 265000
    small = Observation.objects.get(
        indicator__code="gsm__vergunningen", area__code="11002"
    )
    assert small.value is None and small.missing == "geheim"

    assert pull(subscription) == []
    assert ReceivedPackage.objects.count() == 1

    out = subprocess.run(
        [sys.executable, str(SCRIPT), "end-series"],
        env=publisher["env"],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert out == "2 True"
    received = pull(subscription)
    assert [r.version for r in received] == [2]
    ended = Indicator.objects.get(code="gsm__vergunningen")
    assert ended.status == Status.UITDOVEND
    assert Observation.objects.filter(indicator=ended).count() == 3
    assert (
        Observation.objects.filter(indicator=imported, area__code="44021").count() == 2
    )


def _theme():
    from stedenplatform.stats.catalogue import ensure_theme

    return ensure_theme("Eigen")


def test_tampered_package_is_refused(publisher):
    listing = urllib.request.urlopen(f"{publisher['url']}/gsm/1", timeout=10)
    body = listing.read()
    signature = listing.headers["X-Connector-Signature"]
    sha = listing.headers["X-Connector-Sha256"]
    assert verify(body, signature, sha, publisher["key"])["version"] == 1
    tampered = body.replace(b"265000", b"999999")
    with pytest.raises(ConnectorError, match="handtekening"):
        verify(
            tampered, signature, hashlib.sha256(tampered).hexdigest(), publisher["key"]
        )
    with pytest.raises(ConnectorError, match="hash"):
        verify(tampered, signature, sha, publisher["key"])
    forged = base64.b64encode(b"0" * 64).decode()
    with pytest.raises(ConnectorError, match="handtekening"):
        verify(body, forged, sha, publisher["key"])


@pytest.mark.django_db
def test_internal_indicators_never_go_into_a_package(indicators):
    from stedenplatform.stats.catalogue import upsert_indicators
    from stedenplatform.stats.connector import publish_package

    upsert_indicators(
        [
            {
                "code": "geheim_cijfer",
                "name": "Intern",
                "kind": "count",
                "theme": "Werk",
                "status": "intern",
            }
        ]
    )
    with pytest.raises(ConnectorError, match="bevat geen indicatoren"):
        publish_package("intern", codes=["geheim_cijfer"])
    package, created = publish_package("demo", codes=["geheim_cijfer", "inwoners"])
    assert created
    body = bytes(package.body).decode()
    assert "geheim_cijfer" not in body and '"inwoners"' in body
    again, created_again = publish_package("demo", codes=["geheim_cijfer", "inwoners"])
    assert (again.version, created_again) == (1, False)
