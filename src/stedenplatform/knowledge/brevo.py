"""A small client for Brevo's HTTP API v3: contacts, lists and campaigns.

Only what the newsletter needs: create a contact list, import contacts into
it, create an email campaign, send it now, read its statistics, and send one
transactional mail (the double opt-in confirmation). Authentication is the
`api-key` header; the base URL and key come from settings.BREVO_API_URL and
settings.BREVO_API_KEY. Errors become `BrevoError` with Brevo's own code.
"""

import json
import logging
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

from stedenplatform.core.errors import PlatformError

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 20


class BrevoError(PlatformError):
    code = "brevo_fout"


def is_configured() -> bool:
    return bool(settings.BREVO_API_KEY and settings.BREVO_API_URL)


class BrevoClient:
    def __init__(self, base_url: str | None = None, api_key: str | None = None):
        self.base_url = (base_url or settings.BREVO_API_URL).rstrip("/")
        self.api_key = api_key if api_key is not None else settings.BREVO_API_KEY
        if not self.api_key:
            raise BrevoError(
                "Brevo is niet ingesteld: zet BREVO_API_KEY (en eventueel "
                "BREVO_API_URL) in de omgeving van de server.",
                code="brevo_niet_ingesteld",
            )

    def _request(
        self,
        method: str,
        path: str,
        body: dict | None = None,
        query: dict | None = None,
    ):
        url = self.base_url + path
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("api-key", self.api_key)
        request.add_header("accept", "application/json")
        if data is not None:
            request.add_header("content-type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                payload = response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            detail = {}
            try:
                detail = json.loads(exc.read() or b"{}")
            except ValueError:
                pass
            logger.warning("Brevo %s %s answered %s", method, path, exc.code)
            raise BrevoError(
                f"Brevo weigerde de vraag ({method} {path}, HTTP {exc.code}): "
                f"{detail.get('message', 'geen uitleg')} "
                f"(code: {detail.get('code', 'onbekend')}).",
                code="brevo_" + str(detail.get("code", exc.code)),
            ) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            logger.warning("Brevo %s %s unreachable", method, path)
            raise BrevoError(
                f"Brevo is niet bereikbaar op {self.base_url}; probeer later opnieuw.",
                code="brevo_onbereikbaar",
            ) from exc
        if status == 204 or not payload:
            return None
        return json.loads(payload)

    def create_list(self, name: str, folder_id: int = 1) -> int:
        return self._request(
            "POST", "/contacts/lists", {"name": name, "folderId": folder_id}
        )["id"]

    def create_contact(self, email: str, attributes: dict, list_ids: list[int]) -> None:
        self._request(
            "POST",
            "/contacts",
            {
                "email": email,
                "attributes": attributes,
                "listIds": list_ids,
                "updateEnabled": True,
            },
        )

    def import_contacts(self, contacts: list[dict], list_ids: list[int]) -> int:
        """Import contacts ({email, attributes}) into lists; returns the process id."""
        answer = self._request(
            "POST",
            "/contacts/import",
            {
                "jsonBody": contacts,
                "listIds": list_ids,
                "updateExistingContacts": True,
                "emptyContactsAttributes": False,
            },
        )
        return answer["processId"]

    def blacklist_contact(self, email: str) -> None:
        self._request(
            "PUT",
            "/contacts/" + urllib.parse.quote(email, safe=""),
            {"emailBlacklisted": True},
        )

    def create_campaign(
        self,
        *,
        name: str,
        subject: str,
        sender: dict,
        html: str,
        list_ids: list[int],
        preview_text: str = "",
    ) -> int:
        return self._request(
            "POST",
            "/emailCampaigns",
            {
                "name": name,
                "subject": subject,
                "sender": sender,
                "htmlContent": html,
                "previewText": preview_text,
                "recipients": {"listIds": list_ids},
                "inlineImageActivation": False,
            },
        )["id"]

    def send_campaign_now(self, campaign_id: int) -> None:
        self._request("POST", f"/emailCampaigns/{campaign_id}/sendNow")

    def campaign(self, campaign_id: int, statistics: str) -> dict:
        return self._request(
            "GET",
            f"/emailCampaigns/{campaign_id}",
            query={"statistics": statistics, "excludeHtmlContent": "true"},
        )

    def send_transactional(
        self, *, sender: dict, to: str, subject: str, html: str, text: str
    ) -> str:
        answer = self._request(
            "POST",
            "/smtp/email",
            {
                "sender": sender,
                "to": [{"email": to}],
                "subject": subject,
                "htmlContent": html,
                "textContent": text,
            },
        )
        return answer.get("messageId", "")
