"""Import NUTS 2021 regions from Eurostat GISCO "Nuts2json" files."""

import json
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError

from core.models import NUTS_CODE_PATTERN, Region
from infra import caching

LEVELS = range(4)
POINT_FILE = "nutspt_{level}.json"
# Copies name the 1:60 million outlines flat; the Nuts2json repository keeps
# them in a 60M/ folder beside the point files.
OUTLINE_FILES = ["60M_nutsrg_{level}.json", "60M/nutsrg_{level}.json"]
BATCH_SIZE = 500
UPDATE_FIELDS = [
    "name",
    "level",
    "parent",
    "path",
    "country_code",
    "label_lat",
    "label_lon",
    "outline",
]
PATH_INDEX = UPDATE_FIELDS.index("path")


class Command(BaseCommand):
    help = (
        "Load NUTS 2021 regions of all levels (codes, names, parents, label points and "
        "outlines) from a folder or base URL holding Nuts2json files nutspt_0..3.json and, "
        "optionally, 60M_nutsrg_0..3.json (or 60M/nutsrg_0..3.json, as in the Nuts2json "
        "repository's pub/v2/2021/4326/). Safe to run again: existing regions are updated."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="A folder, or a base URL (http, https, file).")
        parser.add_argument(
            "--prune",
            action="store_true",
            help=(
                "Delete NUTS regions missing from the source, unless anything refers to "
                "them (practices, organisations, events, child regions...)."
            ),
        )

    def handle(self, *args, source, prune, **options):
        started = time.monotonic()
        self.progress_enabled = self.stdout.isatty() and options.get("verbosity", 1) > 0
        records = {}
        for level in LEVELS:
            name = POINT_FILE.format(level=level)
            data = self.read(source, name, required=True)
            for code, record in parse_points(name, data, level).items():
                if code in records:
                    raise CommandError(f"{name}: {code} appears twice in the source.")
                records[code] = record
        outlines = {}
        for level in LEVELS:
            for pattern in OUTLINE_FILES:
                name = pattern.format(level=level)
                data = self.read(source, name, required=False)
                if data is not None:
                    outlines.update(parse_outlines(name, data, level, records))
                    break
        for code, record in records.items():
            if record["level"] and code[:-1] not in records:
                raise CommandError(f"{code}: its parent {code[:-1]} is not in the source.")

        with transaction.atomic():
            stats = self.apply(records, outlines)
            if prune:
                stats.update(self.prune(records))
        if stats["created"] or stats["updated"]:
            # bulk_create and bulk_update send no signal: stale pages otherwise.
            caching.bump_generation()
        self.finish_progress()

        per_level = ", ".join(
            f"level {level}: {sum(1 for r in records.values() if r['level'] == level)}"
            for level in LEVELS
        )
        summary = (
            f"NUTS import from {source}: {len(records)} regions ({per_level}); "
            f"{stats['created']} created, {stats['updated']} updated, "
            f"{stats['unchanged']} unchanged; {len(outlines)} outlines"
        )
        if stats["skipped"]:
            summary += f"; {stats['skipped']} codes held by non-NUTS areas left alone"
        if prune:
            summary += f"; {stats['deleted']} removed, {stats['kept']} kept (still referenced)"
        summary += f"; {time.monotonic() - started:.1f} s."
        self.stdout.write(self.style.SUCCESS(summary))

    # Reading -----------------------------------------------------------------

    def read(self, source, name, *, required):
        if re.match(r"^(https?|file)://", source):
            url = source.rstrip("/") + "/" + name
            try:
                with urllib.request.urlopen(url, timeout=60) as response:
                    raw = response.read()
            except urllib.error.HTTPError as exc:
                if exc.code == 404 and not required:
                    return None
                raise CommandError(f"{url}: {exc}") from exc
            except urllib.error.URLError as exc:
                if not required and isinstance(exc.reason, FileNotFoundError):
                    return None
                raise CommandError(f"{url}: {exc.reason}") from exc
        else:
            path = Path(source) / name
            if not path.is_file():
                if not Path(source).is_dir():
                    raise CommandError(f"{source} is neither a folder nor a URL.")
                if required:
                    raise CommandError(f"{path} is missing.")
                return None
            raw = path.read_bytes()
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"{name}: not valid JSON ({exc}).") from exc
        if not isinstance(data, dict) or not isinstance(data.get("features"), list):
            raise CommandError(f"{name}: not a GeoJSON FeatureCollection.")
        return data

    # Writing -----------------------------------------------------------------

    def apply(self, records, outlines):
        """Create or update every region of ``records`` with bulk queries."""
        stats = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
        existing = {r.nuts_code: r for r in Region.objects.filter(nuts_code__in=records)}
        used_slugs = set(Region.objects.values_list("slug", flat=True))
        by_code = {}
        repathed = []
        done = 0
        for level in LEVELS:
            to_create, to_update = [], []
            codes = sorted(code for code, r in records.items() if r["level"] == level)
            for code in codes:
                record = records[code]
                region = existing.get(code)
                if region is not None and region.kind != Region.Kind.NUTS:
                    # An area an editor gave this code on purpose: leave it be.
                    stats["skipped"] += 1
                    by_code[code] = region
                    continue
                parent = by_code[code[:-1]] if level else None
                if region is None:
                    region = Region(
                        nuts_code=code, kind=Region.Kind.NUTS, slug=new_slug(code, used_slugs)
                    )
                    to_create.append(region)
                    before = None
                else:
                    before = [field_value(region, f) for f in UPDATE_FIELDS]
                region.name = record["name"]
                region.level = level
                region.parent = parent
                # bulk_create/bulk_update skip Region.save(): derive here what it would.
                region.path = f"{parent.path if parent else '/'}{region.slug}/"
                region.country_code = code[:2]
                region.label_lat, region.label_lon = record["lat"], record["lon"]
                if code in outlines:
                    region.outline = outlines[code]
                if before is not None:
                    after = [field_value(region, f) for f in UPDATE_FIELDS]
                    if after != before:
                        to_update.append(region)
                        if region.path != before[PATH_INDEX]:
                            repathed.append(region.pk)
                    else:
                        stats["unchanged"] += 1
                by_code[code] = region
                done += 1
                if done % 100 == 0:
                    self.show_progress(done, len(records), f"NUTS {level}")
            Region.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
            if any(r.pk is None for r in to_create):
                # Backends that cannot return ids from a bulk insert.
                ids = dict(
                    Region.objects.filter(
                        nuts_code__in=[r.nuts_code for r in to_create]
                    ).values_list("nuts_code", "pk")
                )
                for region in to_create:
                    region.pk = ids[region.nuts_code]
            Region.objects.bulk_update(to_update, UPDATE_FIELDS, batch_size=BATCH_SIZE)
            stats["created"] += len(to_create)
            stats["updated"] += len(to_update)
            self.show_progress(done, len(records), f"NUTS {level}")
        if repathed:
            # Areas below a region whose path moved (a city-region under a NUTS 1
            # region, say) follow it; Region.save() recomputes and cascades.
            imported = {r.pk for r in by_code.values()}
            for region in Region.objects.filter(parent_id__in=repathed).exclude(pk__in=imported):
                region.save()
        return stats

    def prune(self, records):
        """Delete NUTS regions the source no longer has, unless referenced."""
        deleted = kept = 0
        missing = (
            Region.objects.filter(kind=Region.Kind.NUTS, nuts_code__isnull=False)
            .exclude(nuts_code__in=records)
            .order_by("-level")
        )
        for region in missing:
            if region.practices.exists() or region.covered_by.exists():
                kept += 1
                continue
            try:
                with transaction.atomic():
                    region.delete()
                deleted += 1
            except ProtectedError:
                kept += 1
        return {"deleted": deleted, "kept": kept}

    # Progress ----------------------------------------------------------------

    def show_progress(self, done, total, label):
        if not self.progress_enabled:
            return
        width = 30
        filled = width * done // total
        bar = "#" * filled + "-" * (width - filled)
        self.stdout.write(f"\r[{bar}] {done}/{total} {label}", ending="")
        self.stdout.flush()

    def finish_progress(self):
        if self.progress_enabled:
            self.stdout.write("")


def parse_points(name, data, level):
    records = {}
    for index, feature in enumerate(data["features"]):
        where = f"{name}, feature {index + 1}"
        code, region_name = feature_id(where, feature, level)
        geometry = feature.get("geometry") or {}
        coordinates = geometry.get("coordinates")
        if (
            geometry.get("type") != "Point"
            or not isinstance(coordinates, list)
            or len(coordinates) != 2
            or not all(isinstance(c, int | float) for c in coordinates)
        ):
            raise CommandError(f"{where} ({code}): the geometry is not a point.")
        lon, lat = coordinates
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise CommandError(f"{where} ({code}): the point lies outside the globe.")
        if code in records:
            raise CommandError(f"{where}: {code} appears twice.")
        records[code] = {"name": region_name, "level": level, "lat": lat, "lon": lon}
    return records


def parse_outlines(name, data, level, records):
    outlines = {}
    for index, feature in enumerate(data["features"]):
        where = f"{name}, feature {index + 1}"
        code, _ = feature_id(where, feature, level)
        if code not in records:
            raise CommandError(f"{where}: {code} has an outline but no label point.")
        geometry = feature.get("geometry") or {}
        if geometry.get("type") not in ("Polygon", "MultiPolygon") or not isinstance(
            geometry.get("coordinates"), list
        ):
            raise CommandError(f"{where} ({code}): the geometry is not a polygon.")
        outlines[code] = {"type": geometry["type"], "coordinates": geometry["coordinates"]}
    return outlines


def feature_id(where, feature, level):
    properties = feature.get("properties") if isinstance(feature, dict) else None
    if not isinstance(properties, dict):
        raise CommandError(f"{where}: no properties.")
    code, region_name = properties.get("id"), properties.get("na")
    if not isinstance(code, str) or not re.match(NUTS_CODE_PATTERN, code):
        raise CommandError(f"{where}: {code!r} is not a NUTS code.")
    if len(code) - 2 != level:
        raise CommandError(f"{where}: {code} is not a NUTS {level} code.")
    if not isinstance(region_name, str) or not region_name.strip():
        raise CommandError(f"{where} ({code}): the name is missing.")
    return code, region_name.strip()


def new_slug(code, used):
    """Return the slug Region.save() would give a new region with ``code``."""
    base = slug = code.lower()
    n = 2
    while slug in used:
        slug = f"{base}-{n}"
        n += 1
    used.add(slug)
    return slug


def field_value(region, field):
    return region.parent_id if field == "parent" else getattr(region, field)
