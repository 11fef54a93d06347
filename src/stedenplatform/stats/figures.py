"""Charts and maps of indicators as Vega-Lite, rendered to SVG on the
server by core.charts. Every figure has a table beside it on the page."""

from stedenplatform.core.charts import PALETTE, render_svg


def time_series(rows: list[dict], *, title: str, unit: str):
    """rows: {'periode', 'gebied', 'waarde'}; one line per area."""
    spec = {
        "width": 560,
        "height": 260,
        "data": {"values": rows},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {
                "field": "periode",
                "type": "ordinal",
                "title": "",
                "axis": {"labelAngle": 0},
            },
            "y": {
                "field": "waarde",
                "type": "quantitative",
                "title": unit,
                "scale": {"zero": False},
            },
            "color": {
                "field": "gebied",
                "type": "nominal",
                "title": "",
                "legend": {"orient": "bottom", "columns": 4},
            },
        },
    }
    return render_svg(spec, title=title)


def comparison(rows: list[dict], *, title: str, unit: str, highlight: str):
    """rows: {'gebied', 'waarde', optional 'laag', 'hoog'}; bars with the
    95% confidence interval when given."""
    bars = {
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "gebied", "type": "nominal", "title": "", "sort": "-x"},
            "x": {"field": "waarde", "type": "quantitative", "title": unit},
            "color": {
                "condition": {
                    "test": f"datum.gebied === {highlight!r}",
                    "value": "#a14a00",
                },
                "value": PALETTE[0],
            },
        },
    }
    layers = [bars]
    if any("laag" in r for r in rows):
        layers.append(
            {
                "mark": {"type": "errorbar", "ticks": True, "color": "#222"},
                "encoding": {
                    "y": {"field": "gebied", "type": "nominal", "sort": "-x"},
                    "x": {"field": "laag", "type": "quantitative", "title": unit},
                    "x2": {"field": "hoog"},
                },
            }
        )
    spec = {
        "width": 520,
        "height": max(80, 22 * len(rows)),
        "data": {"values": rows},
        "layer": layers,
    }
    return render_svg(spec, title=title)


def _signed_area(ring) -> float:
    return sum(
        x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)
    )


def _rewind(geometry: dict) -> dict:
    """Orient rings the way the renderer's spherical geometry wants them:
    outer rings clockwise, holes counter-clockwise (the reverse of RFC 7946);
    otherwise a polygon is read as the whole globe minus the shape."""

    def polygon(rings):
        result = []
        for index, ring in enumerate(rings):
            clockwise = _signed_area(ring) < 0
            want_clockwise = index == 0
            result.append(ring if clockwise == want_clockwise else ring[::-1])
        return result

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": polygon(geometry["coordinates"])}
    if geometry["type"] == "MultiPolygon":
        return {
            "type": "MultiPolygon",
            "coordinates": [polygon(p) for p in geometry["coordinates"]],
        }
    return geometry


def choropleth(features: list[dict], *, title: str, unit: str):
    """features: GeoJSON features with properties 'naam' and 'waarde' (None
    for a suppressed or missing cell, drawn grey)."""
    features = [{**f, "geometry": _rewind(f["geometry"])} for f in features]
    shown = [f for f in features if f["properties"]["waarde"] is not None]
    base = {
        "data": {
            "values": {"type": "FeatureCollection", "features": features},
            "format": {"type": "json", "property": "features"},
        },
        "mark": {
            "type": "geoshape",
            "fill": "#d9d9d9",
            "stroke": "#ffffff",
            "strokeWidth": 0.4,
            "aria": False,
        },
    }
    layers = [base]
    if shown:
        layers.append(
            {
                "data": {
                    "values": {"type": "FeatureCollection", "features": shown},
                    "format": {"type": "json", "property": "features"},
                },
                "mark": {
                    "type": "geoshape",
                    "stroke": "#ffffff",
                    "strokeWidth": 0.4,
                    "aria": False,
                },
                "encoding": {
                    "color": {
                        "field": "properties.waarde",
                        "type": "quantitative",
                        "title": unit,
                        "scale": {"scheme": "blues"},
                        "legend": {"orient": "bottom", "gradientLength": 240},
                    },
                },
            }
        )
    spec = {
        "width": 620,
        "height": 380,
        "padding": 16,
        "projection": {"type": "mercator"},
        "layer": layers,
    }
    return render_svg(spec, title=title)
