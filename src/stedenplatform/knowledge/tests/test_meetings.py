import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from icalendar import Calendar

from stedenplatform.core.models import AuditEntry
from stedenplatform.knowledge import services
from stedenplatform.knowledge.models import Meeting
from stedenplatform.knowledge.schedule import meeting_dates, public_holidays

pytestmark = pytest.mark.django_db


def test_six_weekly_group_meets_every_six_weeks_all_year(plan):
    dates = meeting_dates(plan["orba"], 2026)
    assert len(dates) == 9
    assert dates[0] == datetime.date(2026, 1, 13)
    assert all((b - a).days == 42 for a, b in zip(dates, dates[1:], strict=False))
    assert all(d.year == 2026 for d in dates)


def test_times_per_year_spread_outside_summer(plan):
    dates = meeting_dates(plan["stuur"], 2026)
    assert [d.month for d in dates] == [1, 3, 6, 10]
    assert all(d.weekday() == 1 for d in dates)


def test_group_without_cadence_has_no_schedule(plan):
    assert meeting_dates(plan["gdpr"], 2026) == []


def test_a_date_on_a_public_holiday_moves_to_the_next_working_day():
    holidays = public_holidays(2026)
    assert datetime.date(2026, 4, 6) in holidays  # paasmaandag
    assert datetime.date(2026, 5, 14) in holidays  # O.L.H. Hemelvaart
    assert datetime.date(2026, 7, 21) in holidays

    class Group:
        every_weeks = 1
        per_year = None

    dates = meeting_dates(Group(), 2026, weekday=1)
    assert datetime.date(2026, 7, 21) not in dates
    assert datetime.date(2026, 7, 22) in dates


def test_scheduling_the_year_is_idempotent_and_audited(plan, users):
    actor = users["kvs_bijdrager"]
    created = services.schedule_year(actor, plan["orba"], 2026)
    assert len(created) == 9
    assert services.schedule_year(actor, plan["orba"], 2026) == []
    assert Meeting.objects.filter(group=plan["orba"]).count() == 9
    assert AuditEntry.objects.filter(action="knowledge.meeting.schedule").count() == 1
    first = Meeting.objects.filter(group=plan["orba"]).first()
    assert timezone.localtime(first.starts_at).hour == 10
    assert first.agenda_deadline == first.starts_at - datetime.timedelta(days=7)


def test_scheduling_refuses_a_group_without_cadence(plan, users):
    with pytest.raises(services.PlatformError) as refused:
        services.schedule_year(users["kvs_bijdrager"], plan["gdpr"], 2026)
    assert refused.value.code == "geen_frequentie"
    assert "op regelmatige basis" in refused.value.message


@pytest.mark.parametrize("role", ["gent_bijdrager", "kvs_lezer", "zonder_rol"])
def test_only_kenniscentrum_bijdragers_schedule(plan, users, role):
    with pytest.raises(PermissionDenied):
        services.schedule_year(users[role], plan["orba"], 2026)


def test_group_feed_parses_and_holds_the_year_at_its_cadence(client, plan, users):
    services.schedule_year(users["kvs_beheerder"], plan["orba"], 2026)
    response = client.get("/kennisbank/groepen/werkgroep-orba.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    brussels = ZoneInfo("Europe/Brussels")
    starts = sorted(e.decoded("dtstart").astimezone(brussels).date() for e in events)
    assert len(starts) == 9
    assert {(b - a).days for a, b in zip(starts, starts[1:], strict=False)} == {42}
    assert len({str(e["uid"]) for e in events}) == 9
    assert str(calendar["x-wr-calname"]).startswith("Werkgroep ORBA")


def test_organisation_feed_holds_the_meetings_of_its_groups(client, plan, users):
    actor = users["kvs_beheerder"]
    services.schedule_year(actor, plan["orba"], 2026)
    services.schedule_year(actor, plan["stuur"], 2026)
    gent = Calendar.from_ical(client.get("/kennisbank/organisaties/44021.ics").content)
    leuven = Calendar.from_ical(
        client.get("/kennisbank/organisaties/24062.ics").content
    )
    assert len(gent.walk("VEVENT")) == 13
    assert len(leuven.walk("VEVENT")) == 9
    assert client.get("/kennisbank/organisaties/99999.ics").status_code == 404


def test_feed_does_not_publish_the_online_link(client, plan, users):
    [meeting, *_] = services.schedule_year(users["kvs_beheerder"], plan["orba"], 2026)
    meeting.online_url = "https://vergadering.example.org/geheim"
    services.save_meeting(users["kvs_beheerder"], meeting)
    body = client.get("/kennisbank/groepen/werkgroep-orba.ics").content
    assert b"geheim" not in body
    event = Calendar.from_ical(body).walk("VEVENT")[0]
    assert int(event["sequence"]) == 1


@pytest.fixture
def meeting(plan, users):
    start = timezone.now() + datetime.timedelta(days=14)
    return Meeting.objects.create(
        group=plan["gdpr"],
        title="Werkgroep GDPR",
        theme="Verwerkersovereenkomsten",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        agenda_deadline=start - datetime.timedelta(days=7),
    )


def test_member_bijdrager_submits_an_agenda_point(meeting, users, organisations):
    point = services.submit_agenda_point(
        users["gent_bijdrager"], meeting, title="  Modelclausule  camerabewaking "
    )
    assert point.title == "Modelclausule camerabewaking"
    assert point.organisation == organisations["44021"]
    entry = AuditEntry.objects.get(action="knowledge.agenda_point.submit")
    assert entry.organisation == organisations["44021"]


@pytest.mark.parametrize(
    "role,message",
    [
        ("gent_lezer", "Alleen bijdragers van de leden van Werkgroep GDPR"),
        ("leuven_bijdrager", "Alleen bijdragers van de leden van Werkgroep GDPR"),
        ("zonder_rol", "Alleen bijdragers"),
    ],
)
def test_others_cannot_submit_agenda_points(meeting, users, role, message):
    with pytest.raises(PermissionDenied) as refused:
        services.submit_agenda_point(users[role], meeting, title="Iets")
    assert message in str(refused.value)
    with pytest.raises(PermissionDenied) as anonymous:
        services.submit_agenda_point(None, meeting, title="Iets")
    assert "Meld je aan" in str(anonymous.value)


def test_agenda_point_after_the_deadline_is_refused(meeting, users):
    meeting.agenda_deadline = timezone.now() - datetime.timedelta(minutes=1)
    meeting.save()
    with pytest.raises(services.AgendaPointRefusedError) as refused:
        services.submit_agenda_point(users["gent_bijdrager"], meeting, title="Te laat")
    assert refused.value.code == "termijn_verstreken"
    assert "De termijn voor agendapunten liep af op" in refused.value.message


def test_minutes_with_decisions_and_actions_linked_to_plan_items(meeting, users, plan):
    services.record_minutes(
        users["kvs_bijdrager"],
        meeting,
        minutes="Besproken: modellen.",
        decisions=[("Model goedgekeurd", plan["cyber"])],
        actions=[
            ("Model verspreiden", None, datetime.date(2026, 12, 20), plan["cyber"])
        ],
    )
    meeting.refresh_from_db()
    assert meeting.status == "gehouden"
    assert plan["cyber"].meeting_decisions.get().text == "Model goedgekeurd"
    assert plan["cyber"].meeting_actions.get().due_date == datetime.date(2026, 12, 20)


def test_meeting_page_shows_details_only_to_members(client, meeting, users):
    meeting.online_url = "https://vergadering.example.org/gdpr"
    meeting.save()
    services.submit_agenda_point(users["gent_bijdrager"], meeting, title="Cookiebeleid")
    url = f"/kennisbank/vergaderingen/{meeting.pk}/"
    anonymous = client.get(url).content.decode()
    assert "Cookiebeleid" not in anonymous and "example.org/gdpr" not in anonymous
    client.force_login(users["leuven_bijdrager"])
    assert "Cookiebeleid" not in client.get(url).content.decode()
    client.force_login(users["gent_lezer"])
    member = client.get(url).content.decode()
    assert "Cookiebeleid" in member and "example.org/gdpr" in member
    assert "Agendapunt indienen" not in member


def test_agenda_point_form_posts_for_a_member(client, meeting, users):
    client.force_login(users["gent_bijdrager"])
    url = f"/kennisbank/vergaderingen/{meeting.pk}/"
    page = client.get(url).content.decode()
    assert "Agendapunt indienen" in page
    organisation_id = users["gent_bijdrager"].memberships.get().organisation_id
    response = client.post(
        url, {"title": "Datalekken", "description": "", "organisation": organisation_id}
    )
    assert response.status_code == 302
    assert meeting.agenda_points.get().title == "Datalekken"
    client.force_login(users["leuven_bijdrager"])
    assert client.post(url, {"title": "X", "organisation": 1}).status_code == 403
