"""Text extraction from uploaded Kennisbank files: PDF, DOCX, XLSX and PPTX.

The file type is decided by the extension and confirmed by the file's own
signature, so a renamed file is refused. A file that cannot be opened, or
that holds no text to search (for example a scanned PDF without a text
layer), raises `UnreadableFileError` with a Dutch message; the caller stores
nothing then.
"""

import io
import logging
import zipfile
from dataclasses import dataclass

from stedenplatform.core.errors import PlatformError

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_TEXT_CHARS = 2_000_000
ALLOWED = "PDF (.pdf), Word (.docx), Excel (.xlsx) of PowerPoint (.pptx)"
OOXML_MAIN_PART = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}


class UnreadableFileError(PlatformError):
    code = "bestand_onleesbaar"


@dataclass(frozen=True)
class ExtractedText:
    file_type: str
    text: str
    pages: int


def file_type_of(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in {"pdf", *OOXML_MAIN_PART}:
        raise UnreadableFileError(
            f"Het bestand '{name}' heeft een type dat de Kennisbank niet kan lezen "
            f"(extensie: '{extension or 'geen'}'); toegelaten: {ALLOWED}.",
            code="bestandstype_niet_toegelaten",
        )
    return extension


def extract_text(name: str, content: bytes) -> ExtractedText:
    """Return the searchable text of the file or raise UnreadableFileError."""
    file_type = file_type_of(name)
    if not content:
        raise UnreadableFileError(f"Het bestand '{name}' is leeg.", code="bestand_leeg")
    if len(content) > MAX_FILE_BYTES:
        raise UnreadableFileError(
            f"Het bestand '{name}' is {len(content) / 1024 / 1024:.1f} MB groot; "
            f"toegelaten: ten hoogste {MAX_FILE_BYTES // 1024 // 1024} MB.",
            code="bestand_te_groot",
        )
    _check_signature(name, file_type, content)
    reader = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx, "pptx": _pptx}[file_type]
    try:
        text, pages = reader(content)
    except UnreadableFileError:
        raise
    except Exception as exc:
        logger.info(
            "Extraction failed for a %s file: %s", file_type, type(exc).__name__
        )
        raise UnreadableFileError(
            f"Het bestand '{name}' kon niet gelezen worden als {file_type.upper()}: "
            "het is beschadigd, beveiligd met een wachtwoord of geen echt "
            f"{file_type.upper()}-bestand. Er is niets opgeslagen.",
        ) from exc
    text = _normalise(text)
    if not text:
        hint = (
            " Is het een scan zonder tekstlaag? Laat het dan eerst herkennen (OCR)."
            if file_type == "pdf"
            else ""
        )
        raise UnreadableFileError(
            f"In het bestand '{name}' staat geen tekst die doorzocht kan worden.{hint} "
            "Er is niets opgeslagen.",
            code="bestand_zonder_tekst",
        )
    return ExtractedText(file_type, text[:MAX_TEXT_CHARS], pages)


def _check_signature(name: str, file_type: str, content: bytes) -> None:
    if file_type == "pdf":
        if b"%PDF-" not in content[:1024]:
            raise UnreadableFileError(
                f"Het bestand '{name}' heet .pdf maar is geen PDF-bestand. "
                "Er is niets opgeslagen.",
                code="bestand_vals_type",
            )
        return
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        names = set()
    if OOXML_MAIN_PART[file_type] not in names:
        raise UnreadableFileError(
            f"Het bestand '{name}' heet .{file_type} maar is geen geldig "
            f"{file_type.upper()}-bestand (misschien een ouder .doc/.xls/.ppt-formaat "
            "met een nieuwe naam). Er is niets opgeslagen.",
            code="bestand_vals_type",
        )


def _normalise(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.replace("\x00", " ").splitlines())
    return "\n".join(line for line in lines if line).strip()


def _pdf(content: bytes) -> tuple[str, int]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    if reader.is_encrypted:
        try:
            unlocked = reader.decrypt("")
        except Exception:
            unlocked = 0
        if not unlocked:
            raise UnreadableFileError(
                "Het PDF-bestand is beveiligd met een wachtwoord; bewaar het zonder "
                "beveiliging en laad het opnieuw op. Er is niets opgeslagen.",
                code="bestand_beveiligd",
            )
    texts = [page.extract_text() or "" for page in reader.pages]
    return "\n".join(texts), len(texts)


def _docx(content: bytes) -> tuple[str, int]:
    import docx

    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts), 0


def _xlsx(content: bytes) -> tuple[str, int]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    parts = []
    try:
        for sheet in workbook.worksheets:
            parts.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                cells = [str(v) for v in row if v is not None and str(v).strip()]
                if cells:
                    parts.append(" ".join(cells))
        return "\n".join(parts), len(workbook.worksheets)
    finally:
        workbook.close()


def _pptx(content: bytes) -> tuple[str, int]:
    from pptx import Presentation

    presentation = Presentation(io.BytesIO(content))
    parts = []
    for slide in presentation.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                for row in shape.table.rows:
                    parts.append(" | ".join(cell.text for cell in row.cells))
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts), len(presentation.slides)
