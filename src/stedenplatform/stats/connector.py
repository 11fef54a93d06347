"""The Connector: one instance publishes a dataset as a signed, versioned
package; subscribing instances pull it and import it under a namespace.

Protocol (HTTP, JSON), served under `/api/stats/connector/`:

- `GET key` gives the publisher's Ed25519 public key (PEM).
- `GET {dataset}` lists the versions: `{"dataset", "versions": [{"version",
  "sha256", "created"}]}`.
- `GET {dataset}/{version}` gives the package body (canonical JSON, UTF-8)
  with the headers `X-Connector-Signature` (base64 Ed25519 signature of the
  body) and `X-Connector-Sha256`.

A package holds the indicator definitions with their disclosure settings
and every cell of the dataset as the publisher would show it: a cell the
publisher suppresses travels without value, numerator and denominator and
arrives as 'geheim', so nothing leaves the publisher that it would not
publish. A new version is made only when the content changed.

A subscriber checks hash and signature, prefixes every code with its
namespace (`gsm__bevolking_totaal`) so that its own codes are never
overwritten, skips versions it already has, and never deletes: an indicator
that disappears from the dataset becomes 'uitdovend', and its observations
stay.
"""

import base64
import datetime
import hashlib
import json
import logging
import urllib.request
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from stedenplatform.core.audit import record
from stedenplatform.core.errors import PlatformError

from . import catalogue, periods, store
from .models import (
    CODE_PATTERN,
    NAMESPACE_SEPARATOR,
    ConnectorPackage,
    Indicator,
    Observation,
    ReceivedPackage,
    Status,
    Subscription,
)
from .queries import present

logger = logging.getLogger(__name__)

FORMAT = "stedenplatform-connector/1"
SIGNATURE_HEADER = "X-Connector-Signature"
SHA_HEADER = "X-Connector-Sha256"
TIMEOUT = 30


class ConnectorError(PlatformError):
    code = "connector_fout"


def _key_path() -> Path:
    return Path(
        getattr(
            settings, "STATS_CONNECTOR_KEY", settings.VAR_DIR / "connector-ed25519.pem"
        )
    )


def signing_key() -> Ed25519PrivateKey:
    """The instance's private key, created on first use."""
    path = _key_path()
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ConnectorError(f"{path} bevat geen Ed25519-sleutel.")
        return key
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)
    return key


def public_key_pem() -> str:
    return (
        signing_key()
        .public_key()
        .public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        .decode()
    )


def _canonical(data) -> bytes:
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode("utf-8")


def _number(value):
    return None if value is None else format(value.normalize(), "f")


def _content(dataset_filter: Q) -> dict:
    indicators = list(
        Indicator.objects.filter(dataset_filter)
        .select_related("theme", "source")
        .order_by("code")
    )
    items = []
    for i in indicators:
        items.append(
            {
                "code": i.code,
                "name": i.name,
                "definition": i.definition,
                "unit": i.unit,
                "kind": i.kind,
                "factor": _number(i.factor),
                "decimals": i.decimals,
                "theme": i.theme.path,
                "source": i.source.name if i.source else "",
                "terms_of_use": i.source.terms_of_use if i.source else "",
                "threshold": i.threshold,
                "is_survey": i.is_survey,
                "min_respondents": i.min_respondents,
                "status": i.status,
                "numerator_label": i.numerator_label,
                "denominator_label": i.denominator_label,
                "reference_date": i.reference_date,
                "frequency": i.frequency,
            }
        )
    by_id = {i.pk: i for i in indicators}
    cells = []
    qs = (
        Observation.objects.filter(indicator__in=indicators)
        .select_related("area", "period")
        .order_by("indicator_id", "area__level", "area__code", "period__start")
    )
    for o in qs.iterator(chunk_size=5000):
        shown = present(o, by_id[o.indicator_id])
        suppressed = bool(o.suppression)
        cells.append(
            {
                "indicator": by_id[o.indicator_id].code,
                "level": o.area.level,
                "area": o.area.code,
                "period": o.period.label,
                "value": None if suppressed else _number(o.value),
                "numerator": None if suppressed else _number(shown.numerator),
                "denominator": None if suppressed else _number(shown.denominator),
                "respondents": None if suppressed else o.respondents,
                "ci_low": None if suppressed else _number(o.ci_low),
                "ci_high": None if suppressed else _number(o.ci_high),
                "missing": "geheim" if suppressed else o.missing,
            }
        )
    return {"indicators": items, "observations": cells}


@transaction.atomic
def publish_package(
    dataset: str, *, codes=None, theme: str | None = None, actor=None
) -> tuple[ConnectorPackage, bool]:
    """Make a new version of the dataset when its content changed; return
    (package, created). Internal indicators are never published."""
    if codes:
        selection = Q(code__in=codes)
    elif theme:
        selection = Q(theme__path=theme) | Q(theme__path__startswith=theme + "/")
    else:
        raise ConnectorError("Kies de indicatoren van de dataset (codes of thema).")
    # Packages are served to anyone who asks, so internal indicators and
    # series received from elsewhere never go in.
    selection &= Q(namespace="") & ~Q(status=Status.INTERN)
    content = _content(selection)
    if not content["indicators"]:
        raise ConnectorError(f"Dataset '{dataset}' bevat geen indicatoren.")
    digest = hashlib.sha256(_canonical(content)).hexdigest()
    latest = (
        ConnectorPackage.objects.filter(dataset=dataset).order_by("-version").first()
    )
    if (
        latest is not None
        and json.loads(bytes(latest.body))["content_sha256"] == digest
    ):
        return latest, False
    version = (latest.version if latest else 0) + 1
    body = _canonical(
        {
            "format": FORMAT,
            "dataset": dataset,
            "version": version,
            "created": timezone.now().isoformat(),
            "content_sha256": digest,
            **content,
        }
    )
    signature = base64.b64encode(signing_key().sign(body)).decode()
    package = ConnectorPackage.objects.create(
        dataset=dataset,
        version=version,
        body=body,
        sha256=hashlib.sha256(body).hexdigest(),
        signature=signature,
    )
    record(
        actor,
        "stats.connector_published",
        package,
        after={
            "dataset": dataset,
            "version": version,
            "indicators": len(content["indicators"]),
            "observations": len(content["observations"]),
        },
    )
    logger.info("connector package %s v%s published", dataset, version)
    return package, True


def _get(url: str) -> tuple[bytes, dict]:
    if not url.startswith(("http://", "https://")):
        raise ConnectorError(f"Ongeldig adres {url!r}; toegelaten: http(s)://...")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        return response.read(), dict(response.headers.items())


def verify(body: bytes, signature: str, sha256: str, public_key: str) -> dict:
    """Check hash and signature; return the package."""
    if hashlib.sha256(body).hexdigest() != sha256:
        raise ConnectorError(
            "Het pakket is beschadigd: de hash klopt niet.", "connector_hash"
        )
    key = serialization.load_pem_public_key(public_key.encode())
    if not isinstance(key, Ed25519PublicKey):
        raise ConnectorError("De sleutel van de uitgever is geen Ed25519-sleutel.")
    try:
        key.verify(base64.b64decode(signature), body)
    except (InvalidSignature, ValueError) as exc:
        raise ConnectorError(
            "De handtekening van het pakket is ongeldig; het pakket is niet ingelezen.",
            "connector_handtekening",
        ) from exc
    package = json.loads(body)
    if package.get("format") != FORMAT:
        raise ConnectorError(
            f"Onbekend pakketformaat {package.get('format')!r}; toegelaten: {FORMAT}."
        )
    return package


def pull(subscription: Subscription, actor=None) -> list[ReceivedPackage]:
    """Fetch and import every version newer than what the subscription has."""
    base = subscription.url.rstrip("/")
    listing, _ = _get(f"{base}/{subscription.dataset}")
    versions = sorted(v["version"] for v in json.loads(listing)["versions"])
    have = set(subscription.received.values_list("version", flat=True))
    received = []
    for version in versions:
        if version in have or version <= subscription.last_version:
            continue
        body, headers = _get(f"{base}/{subscription.dataset}/{version}")
        lower = {k.lower(): v for k, v in headers.items()}
        package = verify(
            body,
            lower.get(SIGNATURE_HEADER.lower(), ""),
            lower.get(SHA_HEADER.lower(), ""),
            subscription.public_key,
        )
        if package["dataset"] != subscription.dataset or package["version"] != version:
            raise ConnectorError("Het pakket hoort niet bij deze dataset of versie.")
        received.append(
            import_package(
                subscription, package, hashlib.sha256(body).hexdigest(), actor
            )
        )
    Subscription.objects.filter(pk=subscription.pk).update(
        last_checked_at=timezone.now()
    )
    return received


def _prefixed(namespace: str, code: str) -> str:
    return f"{namespace}{NAMESPACE_SEPARATOR}{code}"


def import_package(subscription, package: dict, sha256: str, actor=None):
    """Import one verified package under the subscription's namespace."""
    namespace = subscription.namespace
    problems = []
    definitions = []
    for item in package["indicators"]:
        data = {**item, "code": _prefixed(namespace, item["code"])}
        data["factor"] = item.get("factor") or 1
        if not CODE_PATTERN.match(item["code"]):
            raise ConnectorError(f"Ongeldige code {item['code']!r} in het pakket.")
        for problem in catalogue.validate_indicator({**data, "code": item["code"]}):
            problems.append(problem.describe())
        definitions.append(data)
    if problems:
        raise ConnectorError("Het pakket is geweigerd: " + "; ".join(problems[:10]))

    resolver = catalogue.AreaResolver()
    with transaction.atomic():
        defined = catalogue.upsert_indicators(
            definitions, actor=actor, namespace=namespace
        )
        rows, keys = [], set()
        for cell in package["observations"]:
            area_id, _ = resolver.resolve(cell["level"], cell["area"])
            if area_id is None:
                continue
            key = periods.parse_period(cell["period"])
            keys.add(key)
            rows.append(
                (
                    defined[_prefixed(namespace, cell["indicator"])].pk,
                    area_id,
                    key,
                    *(
                        catalogue.parse_number(cell[f])[0]
                        for f in ("value", "numerator", "denominator")
                    ),
                    cell["respondents"],
                    catalogue.parse_number(cell["ci_low"])[0],
                    catalogue.parse_number(cell["ci_high"])[0],
                    cell["missing"] or "",
                )
            )
        ids = periods.ensure_periods(keys)
        rows = [(r[0], r[1], ids[r[2]], *r[3:]) for r in rows]
        result = store.write_observations(rows)
        ended = (
            Indicator.objects.filter(namespace=namespace)
            .exclude(code__in=list(defined))
            .exclude(status=Status.UITDOVEND)
        )
        ended_codes = list(ended.values_list("code", flat=True))
        ended.update(status=Status.UITDOVEND)
        entry = ReceivedPackage.objects.create(
            subscription=subscription,
            version=package["version"],
            sha256=sha256,
            observations=len(rows),
        )
        Subscription.objects.filter(pk=subscription.pk).update(
            last_version=max(subscription.last_version, package["version"])
        )
        subscription.last_version = max(subscription.last_version, package["version"])
        record(
            actor,
            "stats.connector_received",
            entry,
            after={
                "namespace": namespace,
                "version": package["version"],
                "uitdovend": ended_codes,
                **result.as_dict(),
            },
        )
    logger.info(
        "connector package v%s imported into namespace %s",
        package["version"],
        namespace,
    )
    return entry


def package_created(package: ConnectorPackage) -> str:
    created = json.loads(bytes(package.body)).get("created")
    return created or datetime.datetime.min.isoformat()
