"""PDF reports from the same HTML templates as the pages (WeasyPrint)."""

from django.template.loader import render_to_string


def render_pdf(
    template: str, context: dict, *, base_url: str | None = None, request=None
) -> bytes:
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    return HTML(string=html, base_url=base_url or "/").write_pdf()
