"""A local stand-in for Brevo's HTTP API v3, for tests.

It listens on 127.0.0.1 in a thread and answers the endpoints the newsletter
uses with Brevo's request and response shapes: the `api-key` header, 201
with an id for created lists, contacts and campaigns, 202 with a processId
for imports, 204 for sendNow, 400/401/404 with {"code", "message"}, and the
campaign report with `statistics.globalStats`, `campaignStats` and
`linksStats`. Once a campaign is sent, its statistics are derived from the
recipients and the links in its HTML, so tests can predict them.
"""

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HREF_RE = re.compile(r'href="([^"]+)"')


@dataclass
class FakeBrevoState:
    api_key: str
    lists: dict = field(default_factory=dict)
    contacts: dict = field(default_factory=dict)
    campaigns: dict = field(default_factory=dict)
    transactional: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    next_id: int = 1

    def new_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value


def _error(status: int, code: str, message: str):
    return status, {"code": code, "message": message}


def _statistics(state: FakeBrevoState, campaign: dict, which: str) -> dict:
    empty = {
        "globalStats": {},
        "campaignStats": [],
        "mirrorClick": 0,
        "remaining": 0,
        "linksStats": {},
        "statsByDomain": {},
    }
    if campaign["status"] != "sent":
        return empty
    recipients = sorted(
        {
            email
            for list_id in campaign["recipients"]["listIds"]
            for email in state.lists.get(list_id, {}).get("contacts", set())
            if not state.contacts.get(email, {}).get("emailBlacklisted")
        }
    )
    sent = len(recipients)
    links = [
        u for u in HREF_RE.findall(campaign["htmlContent"]) if "/afmelden/" not in u
    ]
    links_stats = {url: (i % 4) + 1 for i, url in enumerate(dict.fromkeys(links))}
    clicks = sum(links_stats.values())
    figures = {
        "uniqueClicks": min(sent, clicks),
        "clickers": min(sent, clicks),
        "complaints": 0,
        "delivered": sent,
        "sent": sent,
        "softBounces": 0,
        "hardBounces": 0,
        "uniqueViews": (sent + 1) // 2,
        "trackableViews": sent // 2,
        "estimatedViews": (sent + 1) // 2,
        "unsubscriptions": 0,
        "viewed": sent,
        "deferred": 0,
        "returnBounce": 0,
    }
    result = dict(empty)
    result["campaignStats"] = [
        dict(figures, listId=list_id) for list_id in campaign["recipients"]["listIds"]
    ]
    if which == "globalStats":
        result["globalStats"] = figures
    elif which == "linksStats":
        result["linksStats"] = links_stats
    return result


def handle(state: FakeBrevoState, method: str, path: str, query: str, body):
    """Answer one API call as (status, JSON body or None)."""
    if method == "POST" and path == "/contacts/lists":
        if not body.get("name") or "folderId" not in body:
            return _error(400, "missing_parameter", "name and folderId are required")
        list_id = state.new_id()
        state.lists[list_id] = {"name": body["name"], "contacts": set()}
        return 201, {"id": list_id}
    if method == "POST" and path == "/contacts":
        if not body.get("email"):
            return _error(400, "missing_parameter", "email is missing")
        contact = state.contacts.setdefault(body["email"], {"id": state.new_id()})
        contact["attributes"] = body.get("attributes", {})
        for list_id in body.get("listIds", []):
            state.lists[list_id]["contacts"].add(body["email"])
        return 201, {"id": contact["id"]}
    if method == "POST" and path == "/contacts/import":
        rows = body.get("jsonBody")
        if not rows and not body.get("fileBody") and not body.get("fileUrl"):
            return _error(
                400,
                "missing_parameter",
                "One of fileUrl, fileBody or jsonBody is required",
            )
        list_ids = body.get("listIds") or []
        unknown = [i for i in list_ids if i not in state.lists]
        if unknown:
            return _error(
                404, "document_not_found", f"List ID {unknown[0]} does not exist"
            )
        for row in rows or []:
            contact = state.contacts.setdefault(row["email"], {"id": state.new_id()})
            contact["attributes"] = row.get("attributes", {})
            contact["emailBlacklisted"] = False
            for list_id in list_ids:
                state.lists[list_id]["contacts"].add(row["email"])
        return 202, {"processId": state.new_id()}
    match = re.fullmatch(r"/contacts/([^/]+)", path)
    if method == "PUT" and match:
        from urllib.parse import unquote

        email = unquote(match.group(1))
        if email not in state.contacts:
            return _error(404, "document_not_found", "Contact does not exist")
        state.contacts[email].update(body)
        return 204, None
    if method == "POST" and path == "/emailCampaigns":
        missing = [k for k in ("name", "sender") if not body.get(k)]
        if not body.get("htmlContent") and not body.get("templateId"):
            missing.append("htmlContent")
        if missing:
            return _error(400, "missing_parameter", f"{missing[0]} is missing")
        if not body["sender"].get("email"):
            return _error(400, "invalid_parameter", "sender email is missing")
        campaign_id = state.new_id()
        state.campaigns[campaign_id] = dict(
            body,
            id=campaign_id,
            status="draft",
            type="classic",
            recipients={
                "listIds": body.get("recipients", {}).get("listIds", []),
                "exclusionListIds": [],
            },
        )
        return 201, {"id": campaign_id}
    match = re.fullmatch(r"/emailCampaigns/(\d+)/sendNow", path)
    if method == "POST" and match:
        campaign = state.campaigns.get(int(match.group(1)))
        if campaign is None:
            return _error(404, "document_not_found", "Campaign ID does not exist")
        if campaign["status"] == "sent":
            return _error(400, "not_allowed", "Campaign has already been sent")
        if not campaign["recipients"]["listIds"]:
            return _error(400, "invalid_parameter", "Campaign has no recipients")
        campaign["status"] = "sent"
        return 204, None
    match = re.fullmatch(r"/emailCampaigns/(\d+)", path)
    if method == "GET" and match:
        campaign = state.campaigns.get(int(match.group(1)))
        if campaign is None:
            return _error(404, "document_not_found", "Campaign ID does not exist")
        which = dict(p.split("=", 1) for p in query.split("&") if "=" in p).get(
            "statistics", "globalStats"
        )
        answer = {k: v for k, v in campaign.items() if k != "htmlContent"}
        answer["statistics"] = _statistics(state, campaign, which)
        return 200, answer
    if method == "POST" and path == "/smtp/email":
        if not body.get("to") or not body.get("sender"):
            return _error(400, "missing_parameter", "to and sender are required")
        state.transactional.append(body)
        return 201, {"messageId": f"<{state.new_id()}@smtp-relay.fake>"}
    return _error(404, "not_found", f"Invalid path {path}")


class FakeBrevoServer:
    """Run the fake on a free port: `with FakeBrevoServer('key') as brevo:`."""

    def __init__(self, api_key: str = "test-brevo-sleutel"):
        self.state = FakeBrevoState(api_key=api_key)
        state = self.state

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                path, _, query = self.path.partition("?")
                path = path.removeprefix("/v3")
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                state.requests.append((self.command, path, raw))
                if self.headers.get("api-key") != state.api_key:
                    status, answer = _error(401, "unauthorized", "Key not found")
                else:
                    try:
                        body = json.loads(raw) if raw else {}
                    except ValueError:
                        status, answer = _error(400, "bad_request", "Malformed JSON")
                    else:
                        status, answer = handle(state, self.command, path, query, body)
                self.send_response(status)
                payload = b"" if answer is None else json.dumps(answer).encode()
                if payload:
                    self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PUT = _answer

            def log_message(self, *args):
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v3"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
