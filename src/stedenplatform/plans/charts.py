"""Charts of the plan pages and the report (server-rendered SVG)."""

from stedenplatform.core.charts import STATUS_COLOURS, bar_chart, render_svg

from .models import Indicator, Status


def status_chart(status_counts, leaf_label: str):
    rows = [
        {"status": label, "key": key, "aantal": n} for key, label, n in status_counts
    ]
    colours = {s.label: STATUS_COLOURS[s.value] for s in Status}
    return bar_chart(
        rows,
        category="status",
        value="aantal",
        color_field="status",
        colours=colours,
        value_title=f"aantal {leaf_label.lower()}s",
        title=f"{leaf_label}s per status",
        sort=[s.label for s in Status],
        whole_numbers=True,
    )


def programme_chart(programmes, level_label: str):
    rows = [
        {"onderdeel": f"{p['code']} {p['title'][:40]}", "voortgang": p["progress"]}
        for p in programmes
    ]
    return bar_chart(
        rows,
        category="onderdeel",
        value="voortgang",
        value_title="voortgang (%)",
        title=f"Voortgang per {level_label.lower()}",
        sort=None,
        domain=(0, 100),
    )


def indicator_chart(indicator: Indicator):
    measurements = [
        {"datum": m.date.isoformat(), "waarde": float(m.value), "reeks": "meting"}
        for m in indicator.measurements.all()
    ]
    targets = [
        {"datum": f"{t.year}-12-31", "waarde": float(t.value), "reeks": "doelwaarde"}
        for t in indicator.targets.all()
    ]
    layers = [
        {
            "data": {"values": measurements},
            "mark": {"type": "line", "point": True, "color": "#0b4f8a"},
            "encoding": {
                "x": {"field": "datum", "type": "temporal", "title": "datum"},
                "y": {
                    "field": "waarde",
                    "type": "quantitative",
                    "title": indicator.unit,
                },
            },
        },
        {
            "data": {"values": targets},
            "mark": {
                "type": "point",
                "shape": "diamond",
                "size": 90,
                "filled": True,
                "color": "#a14a00",
            },
            "encoding": {
                "x": {"field": "datum", "type": "temporal"},
                "y": {"field": "waarde", "type": "quantitative"},
            },
        },
    ]
    if indicator.baseline is not None:
        layers.append(
            {
                "data": {"values": [{"nulmeting": float(indicator.baseline)}]},
                "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#555b62"},
                "encoding": {"y": {"field": "nulmeting", "type": "quantitative"}},
            }
        )
    spec = {"width": 460, "height": 200, "layer": layers}
    return render_svg(
        spec,
        title=f"Verloop van {indicator.name}: metingen (lijn) en doelwaarden (ruit)",
    )
