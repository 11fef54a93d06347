"""What every page template needs: the navigation and the user's roles."""

from django.urls import reverse

NAVIGATION = [
    ("plans:index", "Plannen"),
    ("stats:index", "Cijfers"),
    ("social:index", "DEMaD"),
    ("rights:index", "Rechten"),
    ("knowledge:index", "Kennisbank"),
]


def platform(request):
    items = []
    for name, label in NAVIGATION:
        url = reverse(name)
        items.append(
            {"url": url, "label": label, "current": request.path.startswith(url)}
        )
    return {"navigation": items}
