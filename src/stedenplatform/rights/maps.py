"""A map of screening results per municipality, drawn on the server.

Municipal boundaries come from the core areas (their `geometry`, filled when
the boundaries are loaded); without them no map is drawn and the page keeps
its chart and table. Screened municipalities are coloured by the number of
households, the others are grey for orientation.
"""

from __future__ import annotations

from django.utils.safestring import SafeString

from stedenplatform.core.charts import render_svg
from stedenplatform.core.models import Area, AreaLevel


def _clockwise(ring: list) -> bool:
    twice_area = sum(
        x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)
    )
    return twice_area < 0


def _oriented(geometry: dict) -> dict:
    """Outer rings clockwise and holes anticlockwise, as spherical renderers read
    them; GeoJSON files usually store the opposite."""

    def rings(polygon: list) -> list:
        return [
            ring if _clockwise(ring) == (index == 0) else ring[::-1]
            for index, ring in enumerate(polygon)
        ]

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": rings(geometry["coordinates"])}
    if geometry["type"] == "MultiPolygon":
        return {
            "type": "MultiPolygon",
            "coordinates": [rings(p) for p in geometry["coordinates"]],
        }
    return geometry


def screening_map(values: dict[str, int], *, title: str) -> SafeString | None:
    """Choropleth of `values` (NIS code -> households), or None without boundaries."""
    areas = Area.objects.filter(
        level=AreaLevel.GEMEENTE, valid_to__isnull=True, geometry__isnull=False
    ).only("code", "name", "geometry")
    features = [
        {
            "type": "Feature",
            "geometry": _oriented(area.geometry),
            "properties": {"naam": area.name, "waarde": values.get(area.code)},
        }
        for area in areas
    ]
    shown = [f for f in features if f["properties"]["waarde"] is not None]
    if not shown:
        return None

    def layer(items: list, **mark) -> dict:
        return {
            "data": {
                "values": {"type": "FeatureCollection", "features": items},
                "format": {"type": "json", "property": "features"},
            },
            "mark": {
                "type": "geoshape",
                "stroke": "#ffffff",
                "strokeWidth": 0.4,
                "aria": False,
                **mark,
            },
        }

    coloured = layer(shown)
    coloured["encoding"] = {
        "color": {
            "field": "properties.waarde",
            "type": "quantitative",
            "title": "huishoudens",
            "scale": {"scheme": "blues"},
            "legend": {"orient": "bottom"},
        }
    }
    spec = {
        "width": 560,
        "height": 340,
        "padding": 12,
        "projection": {"type": "mercator"},
        "layer": [layer(features, fill="#d9d9d9"), coloured],
    }
    return render_svg(spec, title=title)
