"""Load the seed content (exchange/demo_content.py); safe to run again."""

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
    Programme,
    Project,
    PublicationState,
    Region,
    Topic,
)
from events.models import Event, Material, Presentation
from portal import demo_content as content
from practices.models import GoodPractice

# Seeds give dates only; see the note above demo_content.EVENTS.
DAY_START = datetime.time(9, 0)
DAY_END = datetime.time(17, 0)


class Loader:
    """Create or update rows by natural key, saving only what differs.

    ``update_or_create`` would save every row on every run, bumping
    ``updated_at`` and writing a history record each time; comparing first
    keeps a second run a true no-op.
    """

    def __init__(self):
        self.created = 0
        self.updated = 0
        self.unchanged = 0
        self.new = set()

    def upsert(self, model, lookup, values):
        obj = model._default_manager.filter(**lookup).first()
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


def _same(obj, name, value):
    if isinstance(value, models.Model):
        # Compare keys: reading the relation would cost a query per field.
        return getattr(obj, obj._meta.get_field(name).attname) == value.pk
    return getattr(obj, name) == value


def aware(day, time, zone):
    return datetime.datetime.combine(day, time, tzinfo=zoneinfo.ZoneInfo(zone))


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
                f"{loader.unchanged} unchanged."
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
            values = _without(o, "name", "region")
            values["region"] = self.region_ref(o["region"])
            organisations[o["slug"]] = loader.upsert(Organisation, {"name": o["name"]}, values)

        projects = {}
        for p in content.PROJECTS:
            values = _without(p, "acronym", "programme", "area", "topics")
            values["programme"] = programmes.get(p["programme"])
            values["area"] = self.region_ref(p["area"])
            project = loader.upsert(Project, {"acronym": p["acronym"]}, values)
            loader.set_m2m(project, "topics", [topics[t] for t in p["topics"]])
            projects[p["acronym"]] = project

        for acronym, org_slug, role, region in content.PARTNERSHIPS:
            loader.upsert(
                Partnership,
                {"project": projects[acronym], "organisation": organisations[org_slug]},
                {"role": role, "region": self.region_ref(region)},
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
        for p in content.PRACTICES:
            values = _without(p, "slug", "presented_as", "presenter", "topics")
            values.update(
                organisation=organisations[p["organisation"]],
                region=self.region_ref(p["region"]),
                contact=people[p["presenter"]],
                publication_state=PublicationState.PUBLISHED,
            )
            practice = loader.upsert(GoodPractice, {"slug": p["slug"]}, values)
            loader.set_m2m(practice, "topics", [topics[t] for t in p["topics"]])
            loader.set_m2m(practice, "projects", [projects["SMARTY"]])
            practices.append((practice, p))

        events = {}
        for e in content.EVENTS:
            values = _without(
                e, "slug", "project", "region", "organisers", "presentations", "start_date"
            )
            del values["end_date"]
            values.update(
                project=projects[e["project"]],
                region=self.region_ref(e["region"]),
                start=aware(e["start_date"], DAY_START, e["time_zone"]),
                end=aware(e["end_date"], DAY_END, e["time_zone"]),
                publication_state=PublicationState.PUBLISHED,
            )
            event = loader.upsert(Event, {"slug": e["slug"]}, values)
            loader.set_m2m(event, "organisers", [organisations[o] for o in e["organisers"]])
            events[e["slug"]] = event
            for order, item in enumerate(e["presentations"], start=1):
                self.load_presentation(
                    loader,
                    event,
                    item["title"],
                    order=item.get("order", order),
                    presenter=people.get(item.get("presenter")),
                    organisation=organisations.get(item.get("organisation")),
                )

        seminar = events[content.PRACTICE_SEMINAR]
        for order, (practice, p) in enumerate(practices, start=2):
            presenter = people[p["presenter"]]
            self.load_presentation(
                loader,
                seminar,
                p["presented_as"],
                order=order,
                presenter=presenter,
                organisation=presenter.organisation,
                practice=practice,
            )

        for m in content.MATERIALS:
            loader.upsert(
                Material,
                {"event": events[m["event"]], "title": m["title"]},
                {"kind": m["kind"], "url": m["url"], "language": m["language"]},
            )

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
        loader.upsert(Presentation, {"event": event, "title": title}, values)

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
