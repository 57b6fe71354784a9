"""Load the seed content (portal/demo_content.py); safe to run again."""

import datetime
import os
import secrets
import zoneinfo

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from core.models import (
    Organisation,
    Partnership,
    Person,
    PolicyInstrument,
    Programme,
    Project,
    ProjectTranslation,
    PublicationState,
    Region,
    Topic,
)
from events.models import (
    Event,
    Material,
    Participant,
    ParticipantGroup,
    Presentation,
    whole_days,
)
from portal import demo_content as content
from practices.models import GoodPractice, PracticeStatus, PracticeTranslation


class Loader:
    """Create or update rows by natural key, saving only what differs.

    ``update_or_create`` would save every row on every run, bumping
    ``updated_at`` and writing a history record each time; comparing first
    keeps a second run a true no-op.
    """

    def __init__(self):
        self.created = 0
        self.updated = 0
        self.removed = 0
        self.unchanged = 0
        self.new = set()

    def upsert(self, model, lookup, values, *, previously=None):
        """Create or update the row of ``lookup``; ``previously`` finds it under an old key."""
        obj = model._default_manager.filter(**lookup).first()
        if obj is None and previously:
            obj = model._default_manager.filter(**previously).first()
            if obj is not None:
                values = {**lookup, **values}
        if obj is None:
            obj = model(**lookup, **values)
            obj.save()
            self.created += 1
            self.new.add((model, obj.pk))
            return obj
        changed = [name for name, value in values.items() if not _same(obj, name, value)]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save()
            self.updated += 1
        else:
            self.unchanged += 1
        return obj

    def set_m2m(self, obj, name, targets):
        manager = getattr(obj, name)
        wanted = {t.pk for t in targets}
        if set(manager.values_list("pk", flat=True)) != wanted:
            manager.set(wanted)
            if (type(obj), obj.pk) not in self.new:
                self.updated += 1

    def remove_others(self, queryset, keep):
        """Delete the rows of ``queryset`` that are not in ``keep`` (rows or primary keys)."""
        keep = {getattr(k, "pk", k) for k in keep}
        for obj in queryset.exclude(pk__in=keep):
            obj.delete()
            self.removed += 1


def _same(obj, name, value):
    if isinstance(value, models.Model):
        # Compare keys: reading the relation would cost a query per field.
        return getattr(obj, obj._meta.get_field(name).attname) == value.pk
    return getattr(obj, name) == value


def days(first, last, zone):
    """Return the (start, end) of a date-only event from its first to its last day."""
    tz = zoneinfo.ZoneInfo(zone)
    noon = datetime.time(12)
    return whole_days(
        datetime.datetime.combine(first, noon, tzinfo=tz),
        datetime.datetime.combine(last, noon, tzinfo=tz),
        tz,
    )


class Command(BaseCommand):
    help = "Load the demo content of the seed reports (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-admin",
            action="store_true",
            help=(
                "Also create a superuser 'admin' if none exists; password from "
                "DEMO_ADMIN_PASSWORD, or generated and printed once."
            ),
        )

    def handle(self, *args, **options):
        if options["with_admin"]:
            self.check_admin_password()
        loader = Loader()
        with transaction.atomic():
            self.load(loader)
            if options["with_admin"]:
                self.create_admin()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content: {loader.created} created, {loader.updated} updated, "
                f"{loader.removed} removed, {loader.unchanged} unchanged."
            )
        )

    def load(self, loader):
        self.regions = {}
        programmes = {
            p["name"]: loader.upsert(Programme, {"name": p["name"]}, _without(p, "name"))
            for p in content.PROGRAMMES
        }
        topics = {
            t["name"]: loader.upsert(Topic, {"name": t["name"]}, _without(t, "name"))
            for t in content.TOPICS
        }
        self.load_regions(loader)

        organisations = {}
        for o in content.ORGANISATIONS:
            values = _without(o, "slug", "region")
            values["region"] = self.region_ref(o["region"])
            # Earlier versions looked organisations up by name, which may now differ.
            organisations[o["slug"]] = loader.upsert(
                Organisation, {"slug": o["slug"]}, values, previously={"name": o["name"]}
            )

        instruments = {
            i["slug"]: loader.upsert(
                PolicyInstrument,
                {"slug": i["slug"]},
                {
                    "name": i["name"],
                    "name_en": i["name_en"],
                    "language": "pl",
                    "region": self.region_ref("PL9"),
                    "programme_period": "",
                },
            )
            for i in content.POLICY_INSTRUMENTS
        }
        discussed = {}
        for i in content.POLICY_INSTRUMENTS:
            for slug in i["discussed_at"]:
                discussed.setdefault(slug, []).append(instruments[i["slug"]])

        projects = {}
        for p in content.PROJECTS:
            values = _without(
                p, "slug", "previously", "programme", "area", "topics", "partner_regions"
            )
            values["programme"] = programmes.get(p["programme"])
            values["area"] = self.region_ref(p["area"])
            project = loader.upsert(
                Project, {"slug": p["slug"]}, values, previously=p.get("previously")
            )
            loader.set_m2m(project, "topics", [topics[t] for t in p["topics"]])
            loader.set_m2m(
                project, "partner_regions", [self.region_ref(r) for r in p["partner_regions"]]
            )
            projects[p["slug"]] = project
            versions = [
                loader.upsert(
                    ProjectTranslation,
                    {"master": project, "language_code": language},
                    {f"translated_{name}": text for name, text in texts.items()},
                )
                for language, texts in content.PROJECT_TRANSLATIONS.get(p["slug"], {}).items()
            ]
            loader.remove_others(project.translations.all(), versions)

        # A demo project's partners are exactly those of the content.
        partnerships = [
            loader.upsert(
                Partnership,
                {"project": projects[slug], "organisation": organisations[org_slug]},
                {"role": role, "region": self.region_ref(region)},
            )
            for slug, org_slug, role, region in content.PARTNERSHIPS
        ]
        loader.remove_others(
            Partnership.objects.filter(project__in=projects.values()), partnerships
        )

        people = {
            p["name"]: loader.upsert(
                Person,
                {"name": p["name"]},
                {"job_title": p["job_title"], "organisation": organisations[p["organisation"]]},
            )
            for p in content.PEOPLE
        }

        practices = []
        not_stated = dict.fromkeys(content.PRACTICE_FIELDS_NOT_STATED, "")
        for p in content.PRACTICES:
            values = {
                **not_stated,
                "language": "en",
                "status": PracticeStatus.NOT_STATED,
                **_without(p, "slug", "presented_as", "presenter", "topics"),
            }
            values.update(
                organisation=organisations.get(p["organisation"]),
                region=self.region_ref(p["region"]),
                contact=people[p["presenter"]],
                publication_state=PublicationState.PUBLISHED,
            )
            practice = loader.upsert(GoodPractice, {"slug": p["slug"]}, values)
            loader.set_m2m(practice, "topics", [topics[t] for t in p["topics"]])
            loader.set_m2m(practice, "projects", [projects["smarty"]])
            translations = [
                loader.upsert(
                    PracticeTranslation,
                    {"master": practice, "language_code": language},
                    {f"translated_{name}": text for name, text in texts.items()},
                )
                for language, texts in content.PRACTICE_TRANSLATIONS[p["slug"]].items()
            ]
            loader.remove_others(practice.translations.all(), translations)
            practices.append((practice, p))

        events = {}
        agendas = {}
        for e in content.EVENTS:
            values = _without(
                e, "slug", "project", "region", "organisers", "presentations", "start_date"
            )
            del values["end_date"]
            start, end = days(e["start_date"], e["end_date"], e["time_zone"])
            values.update(
                project=projects[e["project"]],
                region=self.region_ref(e["region"]),
                start=start,
                end=end,
                all_day=True,
                publication_state=PublicationState.PUBLISHED,
            )
            event = loader.upsert(Event, {"slug": e["slug"]}, values)
            loader.set_m2m(event, "organisers", [organisations[o] for o in e["organisers"]])
            loader.set_m2m(event, "policy_instruments", discussed.get(e["slug"], []))
            events[e["slug"]] = event
            agendas[event] = [
                self.load_presentation(
                    loader,
                    event,
                    item["title"],
                    order=item.get("order", order),
                    presenter=people.get(item.get("presenter")),
                    organisation=organisations.get(item.get("organisation")),
                )
                for order, item in enumerate(e["presentations"], start=1)
            ]

        seminar = events[content.PRACTICE_SEMINAR]
        for order, (practice, p) in enumerate(practices, start=2):
            presenter = people[p["presenter"]]
            agendas[seminar].append(
                self.load_presentation(
                    loader,
                    seminar,
                    p["presented_as"],
                    order=order,
                    presenter=presenter,
                    organisation=presenter.organisation,
                    practice=practice,
                )
            )
        # A demo event's agenda is exactly that of the content.
        for event, agenda in agendas.items():
            loader.remove_others(event.presentations.all(), agenda)

        self.load_participation(loader, events, organisations, people)

        for m in content.MATERIALS:
            loader.upsert(
                Material,
                {"event": events[m["event"]], "title": m["title"]},
                {"kind": m["kind"], "url": m["url"], "language": m["language"]},
            )

    def load_participation(self, loader, events, organisations, people):
        """Load who took part; a demo event's participants are exactly those of the content."""
        kept = {event: [] for event in events.values()}
        for slug, name, org_slug, role in content.PARTICIPANTS:
            event, person = events[slug], people.get(name)
            organisation = organisations.get(org_slug)
            # A person is listed once per event; an organisation once without a person.
            if person is None:
                lookup, values = {"event": event, "person": None}, {"role": role}
                lookup["organisation"] = organisation
            else:
                lookup = {"event": event, "person": person}
                values = {"organisation": organisation, "role": role}
            kept[event].append(loader.upsert(Participant, lookup, values))
        for event, participants in kept.items():
            loader.remove_others(event.participants.all(), participants)

        kept = {event: [] for event in events.values()}
        for order, group in enumerate(content.PARTICIPANT_GROUPS, start=1):
            event = events[group["event"]]
            values = {
                "role": group.get("role", ""),
                "description": group.get("description", ""),
                "people_count": group.get("people_count"),
                "region_count": group.get("region_count"),
            }
            kept[event].append(
                loader.upsert(ParticipantGroup, {"event": event, "order": order}, values)
            )
        for event, groups in kept.items():
            loader.remove_others(event.participant_groups.all(), groups)

        for slug, event in events.items():
            regions = content.REGIONS_REPRESENTED.get(slug, [])
            loader.set_m2m(event, "regions_represented", [self.region_ref(r) for r in regions])

    def load_regions(self, loader):
        by_code = {}
        # Shorter codes first, so that every parent exists before its children.
        for code, name, name_en, lat, lon in sorted(content.NUTS_REGIONS, key=lambda r: len(r[0])):
            self.regions[code] = by_code[code] = loader.upsert(
                Region,
                {"nuts_code": code},
                {
                    "name": name,
                    "name_en": name_en,
                    "kind": Region.Kind.NUTS,
                    "parent": by_code[code[:-1]] if len(code) > 2 else None,
                    "label_lat": lat,
                    "label_lon": lon,
                },
            )
        for r in content.OTHER_REGIONS:
            values = _without(r, "slug", "parent", "covers")
            values["parent"] = by_code[r["parent"]] if r["parent"] else None
            values["nuts_code"] = None
            region = loader.upsert(Region, {"slug": r["slug"]}, values)
            self.regions[r["slug"]] = region
            loader.set_m2m(region, "covers", [by_code[c] for c in r["covers"]])

    def region_ref(self, value):
        """Return the region a content entry names by NUTS code or slug."""
        if value is None:
            return None
        if value not in self.regions:
            self.regions[value] = Region.objects.get(**content.region_key(value))
        return self.regions[value]

    def load_presentation(self, loader, event, title, **values):
        return loader.upsert(Presentation, {"event": event, "title": title}, values)

    def check_admin_password(self):
        """Refuse a DEMO_ADMIN_PASSWORD the password validators refuse, before loading."""
        password = os.environ.get("DEMO_ADMIN_PASSWORD")
        if not password:
            return
        try:
            password_validation.validate_password(password, get_user_model()(username="admin"))
        except ValidationError as error:
            raise CommandError(
                "DEMO_ADMIN_PASSWORD is refused: " + " ".join(error.messages)
            ) from error

    def create_admin(self):
        User = get_user_model()
        if User.objects.filter(username="admin").exists():
            self.stdout.write("User 'admin' exists already; its password is unchanged.")
            return
        password = os.environ.get("DEMO_ADMIN_PASSWORD")
        User.objects.create_superuser("admin", "", password or (generated := _new_password()))
        if password:
            self.stdout.write("Created superuser 'admin' with the password of DEMO_ADMIN_PASSWORD.")
        else:
            self.stdout.write(
                f"Created superuser 'admin' with password: {generated}\nIt is shown only this once."
            )


def _new_password():
    return secrets.token_urlsafe(16)


def _without(mapping, *keys):
    return {k: v for k, v in mapping.items() if k not in keys}
