from django import forms

from .models import Severity, Status


class ProgressUpdateForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=Status.choices)
    progress = forms.IntegerField(label="Voortgang (%)", min_value=0, max_value=100)
    text = forms.CharField(
        label="Toelichting",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Wat is er gebeurd sinds de vorige update, wat staat er nog te doen?",
    )
    date = forms.DateField(
        label="Stand op", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    realised_exploitatie = forms.DecimalField(
        label="Gerealiseerd budget exploitatie (€)",
        required=False,
        min_value=0,
        decimal_places=2,
    )
    realised_investeringen = forms.DecimalField(
        label="Gerealiseerd budget investeringen (€)",
        required=False,
        min_value=0,
        decimal_places=2,
    )


class KwestieForm(forms.Form):
    title = forms.CharField(label="Knelpunt", max_length=300)
    description = forms.CharField(
        label="Omschrijving", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    severity = forms.ChoiceField(
        label="Ernst", choices=Severity.choices, initial="middel"
    )
    owner = forms.CharField(label="Wie volgt op", max_length=200, required=False)


class MeasurementForm(forms.Form):
    date = forms.DateField(
        label="Datum", widget=forms.DateInput(attrs={"type": "date"})
    )
    value = forms.DecimalField(label="Waarde", max_digits=16, decimal_places=4)
    source = forms.CharField(label="Bron", max_length=300)


class RoundForm(forms.Form):
    name = forms.CharField(label="Naam van de ronde", max_length=200)
    deadline = forms.DateField(
        label="Deadline", widget=forms.DateInput(attrs={"type": "date"})
    )


class UploadForm(forms.Form):
    file = forms.FileField(label="Bestand")
