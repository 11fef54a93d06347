"""Forms of the DEMaD pages: upload a data set, start a benchmark run."""

from django import forms

from .indicators import Parameters
from .schemas import SCHEMAS

DEFAULTS = Parameters()


class UploadForm(forms.Form):
    organisation = forms.ChoiceField(label="OCMW")
    dataset = forms.ChoiceField(
        label="Dataset", choices=[(k, s.title) for k, s in SCHEMAS.items()]
    )
    file = forms.FileField(
        label="Bestand (csv of xlsx, gepseudonimiseerd)",
        help_text="Eerst pseudonimiseren met het commando stedenplatform "
        "pseudonimiseer; een bestand met fouten wordt volledig geweigerd.",
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.code, o.name) for o in organisations]


def _int_field(name: str) -> forms.IntegerField:
    low, high = Parameters.LIMITS[name]
    return forms.IntegerField(
        label=Parameters.LABELS[name],
        min_value=low,
        max_value=high,
        initial=getattr(DEFAULTS, name),
    )


class BenchmarkForm(forms.Form):
    max_gap_months = _int_field("max_gap_months")
    exit_months = _int_field("exit_months")
    work_window = _int_field("work_window")
    lasting_window = _int_field("lasting_window")
    reinflow_window = _int_field("reinflow_window")
    youth_window = _int_field("youth_window")
    long_duration_1 = _int_field("long_duration_1")
    long_duration_2 = _int_field("long_duration_2")
    age_bounds = forms.CharField(
        label=Parameters.LABELS["age_bounds"],
        initial=", ".join(str(b) for b in DEFAULTS.age_bounds),
        help_text="Stijgende gehele getallen, gescheiden door komma's.",
    )
    exclude_left_censored = forms.BooleanField(
        label=Parameters.LABELS["exclude_left_censored"],
        required=False,
        initial=DEFAULTS.exclude_left_censored,
    )
    min_denominator = _int_field("min_denominator")
    min_numerator = _int_field("min_numerator")
    protect_complement = forms.BooleanField(
        label=Parameters.LABELS["protect_complement"],
        required=False,
        initial=DEFAULTS.protect_complement,
    )

    def clean_age_bounds(self):
        text = self.cleaned_data["age_bounds"]
        try:
            return [
                int(part) for part in text.replace(";", ",").split(",") if part.strip()
            ]
        except ValueError as exc:
            raise forms.ValidationError(
                f"Geen lijst van gehele getallen: {text!r}; toegelaten: bv. 18, 25, "
                "35, "
                "50, 65."
            ) from exc
