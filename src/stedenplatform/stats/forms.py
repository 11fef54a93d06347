"""Forms of the stats pages."""

from django import forms


class UploadForm(forms.Form):
    bestand = forms.FileField(
        label="Bestand (csv, xlsx of parquet)",
        help_text="Breed formaat: PERIOD, GEOLEVEL, GEOITEM en een kolom per "
        "indicatorcode; of lang formaat: indicator, area, period, value.",
    )
    alleen_controleren = forms.BooleanField(
        label="Alleen controleren, niets opslaan", required=False
    )
