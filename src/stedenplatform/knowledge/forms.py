"""Forms of the Kennisbank, meeting and newsletter pages (Dutch labels)."""

from django import forms

from stedenplatform.plans.models import Group, Item

from .models import Document, Meeting

PLAN_CODE = "jaarplan-2026"


def _plan_items(depth: int):
    return Item.objects.filter(plan__code=PLAN_CODE, level__depth=depth).order_by(
        "sort_key"
    )


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.title[:90]}"


class DocumentForm(forms.ModelForm):
    upload = forms.FileField(
        label="Bestand",
        required=False,
        help_text="PDF, DOCX, XLSX of PPTX, ten hoogste 25 MB. De tekst wordt "
        "doorzoekbaar gemaakt.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.pptx"}),
    )
    programme = ItemChoiceField(
        queryset=Item.objects.none(), required=False, label="Programma"
    )
    work_track = ItemChoiceField(
        queryset=Item.objects.none(), required=False, label="Werkspoor"
    )

    class Meta:
        model = Document
        fields = [
            "title",
            "summary",
            "kind",
            "theme",
            "year",
            "authors",
            "organisation",
            "licence",
            "visibility",
            "group",
            "programme",
            "work_track",
            "collection",
            "library_status",
            "link_url",
        ]
        labels = {
            "title": "Titel",
            "summary": "Samenvatting",
            "kind": "Soort",
            "theme": "Thema",
            "year": "Jaar",
            "authors": "Auteurs",
            "organisation": "Organisatie",
            "licence": "Licentie",
            "visibility": "Zichtbaarheid",
            "group": "Werkgroep",
            "collection": "Bibliotheek (collectie)",
            "library_status": "Status in de bibliotheek",
            "link_url": "Link",
        }
        help_texts = {
            "group": "Alleen nodig bij zichtbaarheid 'één werkgroep'.",
            "link_url": "Voor opnames en documenten elders op het web.",
        }
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = _plan_items(0)
        self.fields["work_track"].queryset = _plan_items(1)
        self.fields["group"].queryset = Group.objects.order_by("name")


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "title",
            "theme",
            "starts_at",
            "ends_at",
            "location",
            "online_url",
            "agenda_deadline",
            "status",
        ]
        labels = {
            "title": "Titel",
            "theme": "Thema",
            "starts_at": "Begin",
            "ends_at": "Einde",
            "location": "Plaats",
            "online_url": "Link (online)",
            "agenda_deadline": "Termijn voor agendapunten",
            "status": "Status",
        }
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "agenda_deadline": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }


class AgendaPointForm(forms.Form):
    title = forms.CharField(label="Titel van het agendapunt", max_length=300)
    description = forms.CharField(
        label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    organisation = forms.TypedChoiceField(label="Namens", coerce=int, choices=())

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]


class MinutesForm(forms.Form):
    minutes = forms.CharField(label="Verslag", widget=forms.Textarea(attrs={"rows": 6}))
    decision = forms.CharField(label="Beslissing", required=False)
    decision_item = forms.ModelChoiceField(
        label="Plan-item van de beslissing",
        queryset=Item.objects.none(),
        required=False,
    )
    action = forms.CharField(label="Actiepunt", required=False)
    action_item = forms.ModelChoiceField(
        label="Plan-item van het actiepunt",
        queryset=Item.objects.none(),
        required=False,
    )
    action_due = forms.DateField(
        label="Actiepunt klaar tegen",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        items = (
            group.items.order_by("sort_key")
            if group is not None
            else Item.objects.none()
        )
        self.fields["decision_item"].queryset = items
        self.fields["action_item"].queryset = items


class SubscribeForm(forms.Form):
    email = forms.EmailField(label="E-mailadres", max_length=254)
    name = forms.CharField(
        label="Naam (niet verplicht)", max_length=200, required=False
    )
    consent = forms.BooleanField(
        label="Ik wil het maandelijkse nieuwsbulletin van het Kenniscentrum Vlaamse "
        "Steden ontvangen. Mijn adres wordt alleen daarvoor gebruikt; afmelden kan "
        "altijd via de link onderaan elk bulletin.",
        error_messages={"required": "Vink de toestemming aan om in te schrijven."},
    )


class NewsletterForm(forms.Form):
    subject = forms.CharField(label="Onderwerp", max_length=200)
    intro = forms.CharField(
        label="Inleiding", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class ComposeForm(forms.Form):
    month = forms.CharField(
        label="Maand van het bulletin (JJJJ-MM)",
        max_length=7,
        widget=forms.TextInput(
            attrs={"pattern": r"\d{4}-\d{2}", "inputmode": "numeric"}
        ),
    )


class CsvImportForm(forms.Form):
    file = forms.FileField(
        label="CSV-bestand",
        help_text="Kolommen: email, naam, toestemming_op (JJJJ-MM-DD), bron "
        "(formulier, import, evenement of beheer).",
    )
