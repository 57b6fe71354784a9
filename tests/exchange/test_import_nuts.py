"""import_nuts on Eurostat's Nuts2json files (shared/data/nuts2021)."""

import functools
import http.server
import io
import json
import shutil
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Region
from practices.models import GoodPractice
from tests.factories import GoodPracticeFactory, RegionFactory

pytestmark = pytest.mark.django_db

NUTS_DIR = Path(settings.BASE_DIR).parent / "shared/data/nuts2021"
PER_LEVEL = {0: 37, 1: 123, 2: 328, 3: 1502}
TOTAL = sum(PER_LEVEL.values())


def import_nuts(source=NUTS_DIR, *args, stdout=None):
    out = stdout or io.StringIO()
    call_command("import_nuts", str(source), *args, stdout=out)
    return out.getvalue()


def load_demo():
    call_command("load_demo", stdout=io.StringIO())


def nuts_regions():
    return Region.objects.filter(kind=Region.Kind.NUTS)


def table():
    return sorted(Region.objects.order_by().values_list(), key=repr)


@pytest.fixture
def copy_of_files(tmp_path):
    folder = tmp_path / "nuts"
    shutil.copytree(NUTS_DIR, folder)
    for path in folder.iterdir():
        path.chmod(0o644)
    return folder


class TestImport:
    def test_counts_per_level(self):
        started = time.monotonic()
        output = import_nuts()
        elapsed = time.monotonic() - started
        for level, count in PER_LEVEL.items():
            assert nuts_regions().filter(level=level).count() == count
        assert Region.objects.count() == TOTAL
        assert f"{TOTAL} created, 0 updated, 0 unchanged" in output
        # Reported, not asserted: the figure depends on the machine.
        print(f"import_nuts: {TOTAL} regions into an empty database in {elapsed:.2f} s")

    def test_cached_pages_show_the_import_at_once(self, client):
        # The regions are written in bulk, without the signals that mark an edit.
        suggestions = "/suggest/region/?q=lappi"
        assert client.get(suggestions).json() == {"results": []}
        assert "Deutschland" not in client.get("/regions/").content.decode()
        import_nuts()
        assert client.get(suggestions).json()["results"][0]["value"] == "FI1D7"
        assert "Deutschland" in client.get("/regions/").content.decode()

    def test_bulk_queries_not_one_per_row(self):
        with CaptureQueriesContext(connection) as queries:
            import_nuts()
        assert len(queries) < 60, len(queries)
        with CaptureQueriesContext(connection) as queries:
            import_nuts()
        assert len(queries) < 20, len(queries)

    def test_parent_links_and_derived_fields(self):
        import_nuts()
        lapland = Region.objects.get(nuts_code="FI1D7")
        assert lapland.name == "Lappi"
        assert lapland.level == 3
        assert [a.nuts_code for a in lapland.ancestors()] == ["FI", "FI1", "FI1D"]
        assert lapland.path == "/fi/fi1/fi1d/fi1d7/"
        assert lapland.country_code == "FI"
        assert (lapland.label_lat, lapland.label_lon) == (67.716, 26.322)
        catalonia = Region.objects.get(nuts_code="ES51")
        assert catalonia in Region.objects.within(Region.objects.get(nuts_code="ES"))
        mazovia = Region.objects.within(Region.objects.get(nuts_code="PL9"))
        assert mazovia.count() == nuts_regions().filter(nuts_code__startswith="PL9").count() == 12
        # Every region below a country hangs from the region whose code is its prefix.
        for code, parent_code in (
            nuts_regions().filter(level__gt=0).values_list("nuts_code", "parent__nuts_code")
        ):
            assert parent_code == code[:-1]
        assert not nuts_regions().filter(level=0, parent__isnull=False).exists()
        mismatched = [
            r.nuts_code
            for r in nuts_regions().select_related("parent")
            if r.parent and r.path != f"{r.parent.path}{r.slug}/"
        ]
        assert mismatched == []

    def test_outlines_where_given(self):
        import_nuts()
        catalonia = Region.objects.get(nuts_code="ES51")
        assert catalonia.outline["type"] in ("Polygon", "MultiPolygon")
        assert isinstance(catalonia.outline["coordinates"], list)
        assert nuts_regions().filter(level__lte=2, outline__isnull=True).count() == 0
        # No 1:60 million outlines exist for NUTS 3.
        assert nuts_regions().filter(level=3, outline__isnull=False).count() == 0

    def test_idempotent(self):
        import_nuts()
        before = table()
        output = import_nuts()
        assert table() == before
        assert f"0 created, 0 updated, {TOTAL} unchanged" in output

    def test_from_a_file_url(self):
        output = import_nuts(NUTS_DIR.as_uri() + "/")
        assert Region.objects.count() == TOTAL
        assert "488 outlines" in output

    def test_from_a_web_server_in_the_repository_layout(self, tmp_path):
        # As in eurostat/Nuts2json pub/v2/2021/4326/: outlines under 60M/; here
        # only those of the countries, so the other levels answer 404.
        folder = tmp_path / "4326"
        (folder / "60M").mkdir(parents=True)
        for level in PER_LEVEL:
            shutil.copy(NUTS_DIR / f"nutspt_{level}.json", folder)
        shutil.copy(NUTS_DIR / "60M_nutsrg_0.json", folder / "60M" / "nutsrg_0.json")
        handler = functools.partial(QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            output = import_nuts(f"http://127.0.0.1:{server.server_port}/")
        finally:
            server.shutdown()
            server.server_close()
        assert Region.objects.count() == TOTAL
        assert f"{PER_LEVEL[0]} outlines" in output
        assert set(
            Region.objects.filter(outline__isnull=False).values_list("level", flat=True)
        ) == {0}

    def test_missing_point_file_on_a_web_server(self, tmp_path):
        handler = functools.partial(QuietHandler, directory=str(tmp_path))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            with pytest.raises(CommandError, match="nutspt_0.json: HTTP Error 404"):
                import_nuts(f"http://127.0.0.1:{server.server_port}")
        finally:
            server.shutdown()
            server.server_close()
        assert not Region.objects.exists()

    def test_progress_bar_on_a_terminal(self):
        terminal = Terminal()
        import_nuts(stdout=terminal)
        text = terminal.getvalue()
        assert "\r[" in text
        assert f"{TOTAL}/{TOTAL}" in text
        assert "\r" not in import_nuts()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Terminal(io.StringIO):
    def isatty(self):
        return True


class TestWithExistingRegions:
    def test_demo_region_keeps_its_practices(self):
        load_demo()
        catalonia = Region.objects.get(nuts_code="ES51")
        practices = set(catalonia.practices.values_list("pk", flat=True))
        assert practices
        leeds = Region.objects.filter(slug="leeds-city-region").values().get()
        bsr = Region.objects.filter(slug="baltic-sea-region").values().get()
        import_nuts()
        assert Region.objects.get(nuts_code="ES51").pk == catalonia.pk
        assert set(catalonia.practices.values_list("pk", flat=True)) == practices
        assert GoodPractice.objects.filter(region__isnull=True).count() == 0
        assert nuts_regions().count() == TOTAL
        # Non-NUTS areas are untouched, and English names are not wiped.
        assert Region.objects.filter(slug="leeds-city-region").values().get() == leeds
        assert Region.objects.filter(slug="baltic-sea-region").values().get() == bsr
        assert Region.objects.get(nuts_code="ES51").name_en == "Catalonia"
        assert Region.objects.count() == TOTAL + 2

    def test_load_demo_after_import(self):
        import_nuts()
        load_demo()
        assert nuts_regions().count() == TOTAL
        assert Region.objects.count() == TOTAL + 2
        catalonia = Region.objects.get(nuts_code="ES51")
        assert catalonia.name_en == "Catalonia"
        assert catalonia.outline is not None
        assert catalonia.practices.count() == 1
        # Both are idempotent in either order.
        before = table()
        assert f"0 created, 0 updated, {TOTAL} unchanged" in import_nuts()
        load_demo()
        assert table() == before

    def test_existing_slug_is_not_taken(self):
        RegionFactory(nuts_code=None, kind=Region.Kind.OTHER, name="Area", slug="es")
        import_nuts()
        spain = Region.objects.get(nuts_code="ES")
        assert spain.slug == "es-2"
        assert Region.objects.get(nuts_code="ES51").path == "/es-2/es5/es51/"

    def test_code_held_by_a_non_nuts_area_is_left_alone(self):
        area = RegionFactory(nuts_code="LT", kind=Region.Kind.OTHER, name="Lithuania (custom)")
        output = import_nuts()
        area.refresh_from_db()
        assert area.name == "Lithuania (custom)"
        assert "1 codes held by non-NUTS areas left alone" in output
        assert Region.objects.get(nuts_code="LT0").parent == area
        assert Region.objects.get(nuts_code="LT01").path == "/lt/lt0/lt01/"

    def test_moved_parent_carries_non_nuts_children(self):
        # A region created by hand with another slug gets its derived path
        # fixed, and a city-region below it follows.
        uk = RegionFactory(nuts_code="UK", slug="united-kingdom")
        uke = RegionFactory(nuts_code="UKE", parent=uk)
        Region.objects.filter(pk=uke.pk).update(path="/stale/uke/")
        leeds = RegionFactory(
            nuts_code=None, kind=Region.Kind.CITY_REGION, name="Leeds City Region", parent=uke
        )
        import_nuts()
        leeds.refresh_from_db()
        assert leeds.path == "/united-kingdom/uke/leeds-city-region/"

    def test_prune_removes_only_unreferenced_regions(self):
        gone = RegionFactory(nuts_code="ZZ1", name="Withdrawn")
        used = RegionFactory(nuts_code="ZY1", name="Withdrawn but used")
        GoodPracticeFactory(region=used, organisation=None)
        output = import_nuts(NUTS_DIR, "--prune")
        assert not Region.objects.filter(pk=gone.pk).exists()
        assert Region.objects.filter(pk=used.pk).exists()
        assert "1 removed, 1 kept" in output

    def test_without_prune_nothing_is_deleted(self):
        kept = RegionFactory(nuts_code="ZZ1", name="Withdrawn")
        import_nuts()
        assert Region.objects.filter(pk=kept.pk).exists()


class TestBadSources:
    def assert_refused(self, source, message):
        RegionFactory(nuts_code="ES", name="Spain as an editor left it")
        before = table()
        with pytest.raises(CommandError, match=message):
            import_nuts(source)
        assert table() == before

    def test_missing_folder(self, tmp_path):
        self.assert_refused(tmp_path / "nowhere", "neither a folder nor a URL")

    def test_missing_point_file(self, copy_of_files):
        (copy_of_files / "nutspt_3.json").unlink()
        self.assert_refused(copy_of_files, "nutspt_3.json is missing")

    def test_invalid_json(self, copy_of_files):
        (copy_of_files / "nutspt_2.json").write_text('{"type": "FeatureCollection", ')
        self.assert_refused(copy_of_files, "nutspt_2.json: not valid JSON")

    def test_not_a_feature_collection(self, copy_of_files):
        (copy_of_files / "nutspt_1.json").write_text("[1, 2, 3]")
        self.assert_refused(copy_of_files, "not a GeoJSON FeatureCollection")

    def test_malformed_code(self, copy_of_files):
        self.edit(copy_of_files / "nutspt_3.json", 5, id="es51x")
        self.assert_refused(copy_of_files, r"nutspt_3.json, feature 6: 'es51x' is not a NUTS")

    def test_code_of_the_wrong_level(self, copy_of_files):
        self.edit(copy_of_files / "nutspt_1.json", 0, id="ES51")
        self.assert_refused(copy_of_files, "not a NUTS 1 code")

    def test_missing_name(self, copy_of_files):
        self.edit(copy_of_files / "nutspt_2.json", 3, na="")
        self.assert_refused(copy_of_files, "the name is missing")

    def test_point_off_the_globe(self, copy_of_files):
        path = copy_of_files / "nutspt_0.json"
        data = json.loads(path.read_text())
        data["features"][0]["geometry"]["coordinates"] = [200.0, 10.0]
        path.write_text(json.dumps(data))
        self.assert_refused(copy_of_files, "outside the globe")

    def test_orphan_region(self, copy_of_files):
        path = copy_of_files / "nutspt_3.json"
        data = json.loads(path.read_text())
        data["features"][0]["properties"]["id"] = "QQ123"
        path.write_text(json.dumps(data))
        self.assert_refused(copy_of_files, "parent QQ12 is not in the source")

    def test_outline_that_is_not_a_polygon(self, copy_of_files):
        path = copy_of_files / "60M_nutsrg_2.json"
        data = json.loads(path.read_text())
        data["features"][0]["geometry"] = {"type": "Point", "coordinates": [1, 2]}
        path.write_text(json.dumps(data))
        self.assert_refused(copy_of_files, "the geometry is not a polygon")

    def test_failure_while_writing_changes_nothing(self, monkeypatch):
        manager = type(Region.objects)
        real = manager.bulk_update
        calls = []

        def failing(self, objs, *args, **kwargs):
            calls.append(len(objs))
            if len(calls) == 3:
                raise RuntimeError("disk full")
            return real(self, objs, *args, **kwargs)

        monkeypatch.setattr(manager, "bulk_update", failing)
        with pytest.raises(RuntimeError):
            import_nuts()
        # Levels 0 and 1 were written before the failure, and rolled back.
        assert len(calls) == 3
        assert Region.objects.count() == 0

    @staticmethod
    def edit(path, index, **properties):
        data = json.loads(path.read_text())
        data["features"][index]["properties"].update(properties)
        path.write_text(json.dumps(data))
