"""iCalendar feeds (RFC 5545) of group meetings, built with `icalendar`.

A feed is public and carries what the public may know: title, theme, time
and place. Online links stay on the meeting page, for the group's members.
Each event has a stable UID and a SEQUENCE that rises with every change, so
calendar programs update the event instead of adding a copy.
"""

import datetime

from django.utils import timezone
from icalendar import Calendar, Event

from .models import MeetingStatus

PRODID = "-//Stedenplatform//Kennisbank vergaderingen//NL"
UID_DOMAIN = "stedenplatform.kenniscentrumvlaamsesteden.be"


def meetings_calendar(name: str, meetings, base_url: str) -> bytes:
    """Return the meetings as one VCALENDAR."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Brussels")
    stamp = timezone.now().astimezone(datetime.UTC)
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.starts_at.astimezone(datetime.UTC))
        event.add("dtend", meeting.ends_at.astimezone(datetime.UTC))
        event.add("summary", meeting.title)
        description = [meeting.group.name]
        if meeting.theme:
            description.append(f"Thema: {meeting.theme}")
        deadline = timezone.localtime(meeting.agenda_deadline)
        description.append(f"Agendapunten indienen tot {deadline:%d-%m-%Y %H:%M}.")
        event.add("description", "\n".join(description))
        if meeting.location:
            event.add("location", meeting.location)
        event.add(
            "url", f"{base_url.rstrip('/')}/kennisbank/vergaderingen/{meeting.pk}/"
        )
        event.add("sequence", meeting.sequence)
        event.add(
            "status",
            "CANCELLED" if meeting.status == MeetingStatus.GEANNULEERD else "CONFIRMED",
        )
        calendar.add_component(event)
    return calendar.to_ical()
