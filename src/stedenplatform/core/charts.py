"""Charts as Vega-Lite specifications rendered to SVG on the server.

Pages embed the SVG, so charts show without JavaScript; reports put the same
SVG into their PDF. Renderings are cached by the hash of their specification.
"""

import hashlib
import json
import re

from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#0b5394", "#e69138", "#38761d", "#990000", "#674ea7", "#45818e", "#bf9000"]

STATUS_COLOURS = {
    "niet_gestart": "#6b6b6b",
    "lopend": "#0b5394",
    "op_schema": "#2e7d32",
    "vertraagd": "#b45309",
    "gerealiseerd": "#1b5e20",
    "stopgezet": "#7f1d1d",
}

BASE_CONFIG = {
    "font": "DejaVu Sans, Arial, sans-serif",
    "axis": {
        "labelFontSize": 12,
        "titleFontSize": 12,
        "labelColor": "#222",
        "titleColor": "#222",
    },
    "legend": {"labelFontSize": 12, "titleFontSize": 12},
    "view": {"stroke": None},
    "range": {"category": PALETTE},
}


def render_svg(spec: dict, *, title: str) -> SafeString:
    """Return the chart as inline SVG with an accessible name."""
    spec = dict(spec)
    spec.setdefault("$schema", "https://vega.github.io/schema/vega-lite/v5.json")
    spec.setdefault("config", BASE_CONFIG)
    payload = json.dumps(spec, sort_keys=True, default=str)
    key = "chart:" + hashlib.sha256(payload.encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        import vl_convert

        svg = vl_convert.vegalite_to_svg(payload)
        svg = re.sub(r"<\?xml[^>]*\?>", "", svg).strip()
        cache.set(key, svg, 24 * 3600)
    label = escape(title)
    svg = svg.replace(
        "<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1
    )
    return mark_safe(svg)


def render_png(spec: dict, scale: float = 2.0) -> bytes:
    import vl_convert

    spec = dict(spec)
    spec.setdefault("config", BASE_CONFIG)
    return vl_convert.vegalite_to_png(json.dumps(spec, default=str), scale=scale)


def line_chart(
    rows: list[dict],
    *,
    x: str,
    y: str,
    title: str,
    color: str | None = None,
    x_title: str = "",
    y_title: str = "",
    x_type: str = "temporal",
    width: int = 560,
    height: int = 240,
    extra_layers: list | None = None,
) -> SafeString:
    """A time series; `rows` are dicts with the x and y fields."""
    encoding = {
        "x": {"field": x, "type": x_type, "title": x_title},
        "y": {"field": y, "type": "quantitative", "title": y_title},
    }
    if color:
        encoding["color"] = {"field": color, "type": "nominal", "title": ""}
    layers = [{"mark": {"type": "line", "point": True}, "encoding": encoding}]
    layers.extend(extra_layers or [])
    spec = {
        "width": width,
        "height": height,
        "data": {"values": rows},
        "layer": layers,
    }
    return render_svg(spec, title=title)


def bar_chart(
    rows: list[dict],
    *,
    category: str,
    value: str,
    title: str,
    color_field: str | None = None,
    colours: dict | None = None,
    value_title: str = "",
    width: int = 520,
    sort: str | list = "-x",
    highlight: str | None = None,
    domain: tuple[float, float] | None = None,
    whole_numbers: bool = False,
) -> SafeString:
    """Horizontal bars, one per category."""
    height = max(60, 22 * len(rows))
    x_axis: dict = {"field": value, "type": "quantitative", "title": value_title}
    if domain is not None:
        x_axis["scale"] = {"domain": list(domain)}
    if whole_numbers:
        x_axis["axis"] = {"format": "d", "tickMinStep": 1}
    encoding: dict = {
        "y": {"field": category, "type": "nominal", "title": "", "sort": sort},
        "x": x_axis,
    }
    if colours and color_field:
        encoding["color"] = {
            "field": color_field,
            "type": "nominal",
            "scale": {"domain": list(colours), "range": list(colours.values())},
            "legend": None,
        }
    elif highlight is not None:
        encoding["color"] = {
            "condition": {
                "test": f"datum['{category}'] === {json.dumps(highlight)}",
                "value": "#e69138",
            },
            "value": "#0b5394",
        }
    spec = {
        "width": width,
        "height": height,
        "data": {"values": rows},
        "mark": {"type": "bar"},
        "encoding": encoding,
    }
    return render_svg(spec, title=title)
