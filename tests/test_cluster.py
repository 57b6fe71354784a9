"""Several app nodes: the replica router, read-your-writes, and the shared object store.

The cluster itself (PostgreSQL primary and replica, Redis, an S3 server,
two gunicorn nodes behind nginx) is exercised by `make clustertest`; these
tests pin the decisions each node takes, on SQLite and PostgreSQL alike.
"""

import re
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import path, reverse
from import_export.tmp_storages import MediaStorage
from moto import mock_aws

from infra import caching, replica, storage
from practices.models import PracticeProposal
from tests.practices.proposal_helpers import DOCX_BYTES, form_data, upload

# Router ---------------------------------------------------------------------------


def test_router_reads_from_the_replica_only_when_the_request_chose_it():
    router = replica.ReplicaRouter()
    assert router.db_for_read(None) == DEFAULT_DB_ALIAS  # no request: a command, a test
    token = replica._route.set(replica.Route(replica=True))
    try:
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == DEFAULT_DB_ALIAS
        # Once the request wrote, its reads follow the write to the primary.
        assert router.db_for_read(None) == DEFAULT_DB_ALIAS
        assert replica.current_route().wrote is True
    finally:
        replica._route.reset(token)
    assert router.allow_migrate("replica", "practices") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "practices") is True


@pytest.mark.parametrize(
    ("method", "cookies", "may"),
    [
        ("get", {}, True),
        ("head", {}, True),
        ("post", {}, False),
        ("get", {"sessionid": "x"}, False),  # staff, or a visitor with a session
        ("get", {replica.STICKY_COOKIE: "1"}, False),  # wrote a moment ago
    ],
)
def test_only_anonymous_reads_that_wrote_nothing_may_use_the_replica(method, cookies, may):
    request = getattr(RequestFactory(), method)("/practices/")
    request.COOKIES.update(cookies)
    assert replica.may_read_replica(request) is may


def test_a_public_edit_on_any_node_keeps_reads_on_the_primary_for_a_while(settings, monkeypatch):
    settings.REPLICA_STICKY_SECONDS = 5
    request = RequestFactory().get("/practices/")
    assert replica.may_read_replica(request) is True
    now = 1_000_000.0
    monkeypatch.setattr(caching.time, "time", lambda: now)
    caching.bump_generation()
    assert replica.may_read_replica(request) is False
    now += 5.1
    assert replica.may_read_replica(request) is True


# Health ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lag", "usable"),
    [(0.0, True), (1.9, True), (2.5, False), (None, False)],
)
def test_a_replica_lagging_beyond_the_bound_or_not_streaming_is_skipped(
    settings, monkeypatch, lag, usable
):
    settings.REPLICA_MAX_LAG_SECONDS = 2.0
    monkeypatch.setattr(replica, "replica_lag", lambda: lag)
    assert replica.probe()[0] is usable


def test_an_unreachable_replica_is_skipped_then_tried_again(settings, monkeypatch):
    settings.REPLICA_CHECK_SECONDS = 1.0
    settings.REPLICA_RETRY_SECONDS = 5.0
    clock = [100.0]
    monkeypatch.setattr(replica.time, "monotonic", lambda: clock[0])
    answers = []

    def lag():
        answers.append(1)
        if len(answers) == 1:
            raise OperationalError("connection refused")
        return 0.0

    monkeypatch.setattr(replica, "replica_lag", lag)
    health = replica.Health()
    assert health.is_usable() is False
    clock[0] += 4.9
    assert health.is_usable() is False and len(answers) == 1  # not asked again yet
    clock[0] += 0.2
    assert health.is_usable() is True and len(answers) == 2
    clock[0] += 0.5
    assert health.is_usable() is True and len(answers) == 2  # checked once a second
    health.mark_down("test")
    assert health.is_usable() is False


@pytest.mark.postgres
@pytest.mark.django_db
def test_lag_query_runs_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's replication functions")
    with connection.cursor() as cursor:
        cursor.execute(replica.LAG_SQL)
        # The test server is a primary: not in recovery, no lag.
        assert cursor.fetchone()[0] == 0


# Middleware through Django's handler ------------------------------------------------

seen = []


def read_view(request):
    route = replica.current_route()
    seen.append(route and route.replica)
    if route and route.replica and request.GET.get("fail"):
        raise OperationalError("the replica went away")
    return HttpResponse("ok")


def generation_view(request):
    before = caching.generation()
    caching.bump_generation()  # another node's edit commits meanwhile
    seen.append((before, caching.generation()))
    return HttpResponse("ok")


def write_view(request):
    replica.ReplicaRouter().db_for_write(None)
    return HttpResponse("written")


urlpatterns = [
    path("read/", read_view),
    path("write/", write_view),
    path("generation/", generation_view),
]


@pytest.fixture
def routed(settings, monkeypatch):
    """The settings' middleware, as on a node with a healthy replica."""
    settings.ROOT_URLCONF = __name__
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    monkeypatch.setattr(replica.health, "is_usable", lambda: True)
    monkeypatch.setattr(replica.health, "mark_down", lambda reason: None)
    seen.clear()
    return seen


def test_anonymous_get_reads_from_the_replica_and_sets_no_cookie(client, routed):
    response = client.get("/read/")
    assert response.status_code == 200
    assert routed == [True]
    assert replica.STICKY_COOKIE not in response.cookies


def test_a_request_that_wrote_sticks_to_the_primary(client, routed, settings):
    settings.REPLICA_STICKY_SECONDS = 5
    response = client.get("/write/")
    cookie = response.cookies[replica.STICKY_COOKIE]
    assert cookie["max-age"] == 5 and cookie["httponly"]
    # The test client sends the cookie back: the next read goes to the primary.
    client.get("/read/")
    assert routed == [False]
    response = client.post("/read/")
    assert replica.STICKY_COOKIE in response.cookies
    client.cookies.clear()
    client.get("/read/")
    assert routed == [False, False, True]


def test_a_read_whose_replica_fails_midway_is_answered_from_the_primary(client, routed):
    response = client.get("/read/", {"fail": "1"})
    assert response.status_code == 200
    assert response.content == b"ok"
    assert routed == [True, False]


def test_an_anonymous_read_stores_under_the_generation_it_read_before_the_edit_time(client, routed):
    # The generation is read before the edit time: a page stored under an
    # edit's generation was built by a request that saw the edit's time, so
    # from the primary. A page built across another node's edit is stored
    # under the generation from before it: never served after the edit.
    client.get("/generation/")
    ((before, during),) = routed
    assert during == before
    assert caching.generation() != before
    # Staff and visitors who wrote read the current one.
    client.cookies[replica.STICKY_COOKIE] = "1"
    client.get("/generation/")
    before, during = routed[1]
    assert during != before


def test_an_edit_time_the_cache_cannot_say_keeps_reads_on_the_primary(monkeypatch):
    request = RequestFactory().get("/practices/")
    assert replica.may_read_replica(request) is True
    real_get = caching.cache.get

    def get(key, *args, **kwargs):
        # django-redis's answer when Redis did not answer in time.
        return None if key == caching.EDITED_AT_KEY else real_get(key, *args, **kwargs)

    monkeypatch.setattr(caching.cache, "get", get)
    assert replica.may_read_replica(request) is False


def test_without_a_replica_the_middleware_steps_aside(client, settings):
    settings.ROOT_URLCONF = __name__
    seen.clear()
    assert client.get("/read/").status_code == 200
    assert seen == [None]  # no route at all: every read goes to the primary


# Object store -----------------------------------------------------------------------


def test_storage_url_forms():
    options = storage.s3_options("s3://k:s@store.example.eu/bucket/media/?region=eu-central-1")
    assert options["endpoint_url"] == "https://store.example.eu"
    assert options["location"] == "media"
    assert options["region_name"] == "eu-central-1"
    assert options["addressing_style"] == "path"
    aws = storage.s3_options("s3:///bucket", expire=30)
    assert "endpoint_url" not in aws and "access_key" not in aws
    assert aws["querystring_expire"] == 30
    for wrong in ("http://host/bucket", "s3://k:s@host/"):
        with pytest.raises(storage.StorageUrlError):
            storage.s3_options(wrong)
    assert storage.storages("", staticfiles={})["default"]["BACKEND"] == storage.LOCAL_BACKEND


S3_STORAGES = {
    "default": {
        "BACKEND": storage.S3_BACKEND,
        "OPTIONS": storage.s3_options("s3://testing:testing@/exchange-media?region=us-east-1"),
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@pytest.fixture
def object_store(monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="exchange-media")
        with override_settings(STORAGES=S3_STORAGES):
            # The default storage is built once; rebuild it from the new settings.
            storages._storages.pop("default", None)
            yield boto3.client("s3", region_name="us-east-1")
        storages._storages.pop("default", None)


def test_attachments_go_to_the_object_store_for_staff_only(client, admin_client, object_store):
    data = form_data()
    data["attachments"] = [upload("slides.docx", DOCX_BYTES)]
    client.post("/practices/propose/", data)
    proposal = PracticeProposal.objects.get()
    proposal.state = PracticeProposal.State.SUBMITTED
    proposal.save()
    attachment = proposal.attachments.get()
    stored = object_store.get_object(Bucket="exchange-media", Key=attachment.file.name)
    assert stored["Body"].read() == DOCX_BYTES
    # Private: no public-read grant on the object.
    grants = object_store.get_object_acl(Bucket="exchange-media", Key=attachment.file.name)
    assert all("AllUsers" not in str(grant["Grantee"]) for grant in grants["Grants"])
    # A link the storage makes is signed and short-lived.
    assert "X-Amz-Signature=" in attachment.file.url and "X-Amz-Expires=300" in attachment.file.url
    url = reverse("admin:practices_practiceproposal_attachment", args=[proposal.pk, attachment.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == DOCX_BYTES
    assert client.get(url).status_code == 302  # to the admin login


def test_import_files_wait_for_their_confirm_in_the_object_store(object_store):
    dry_run = MediaStorage(encoding="utf-8")
    dry_run.save(b"name,code\nMazowieckie,PL9\n")
    # The confirm (perhaps on another node) finds the file by its name alone.
    confirm = MediaStorage(name=dry_run.name, encoding="utf-8")
    assert confirm.read() == b"name,code\nMazowieckie,PL9\n"
    listed = object_store.list_objects_v2(Bucket="exchange-media")["Contents"]
    assert [item["Key"] for item in listed] == [f"django-import-export/{dry_run.name}"]
    confirm.remove()
    assert object_store.list_objects_v2(Bucket="exchange-media")["KeyCount"] == 0


def test_a_default_storage_file_round_trip(object_store):
    name = storages["default"].save("materials/2026/notes.txt", ContentFile(b"notes"))
    assert storages["default"].open(name).read() == b"notes"


# The proxy of `make cluster` and docs/deployment.md ---------------------------------


def test_the_proxy_lets_through_the_largest_body_the_portal_accepts(settings):
    conf = (Path(__file__).resolve().parent.parent / "scripts" / "cluster-nginx.conf").read_text()
    (size,) = re.findall(r"client_max_body_size (\d+)m;", conf)
    largest = max(
        settings.PROPOSAL_MAX_FILES * settings.PROPOSAL_MAX_UPLOAD_BYTES
        + settings.MAX_REQUEST_BYTES,
        settings.ADMIN_MAX_REQUEST_BYTES,
    )
    assert largest <= int(size) * 1024 * 1024
    # The headers BEHIND_TLS_PROXY and TRUSTED_PROXY_COUNT=1 rely on.
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf
    cluster = (Path(__file__).resolve().parent.parent / "scripts" / "cluster.py").read_text()
    for name in set(re.findall(r"@([A-Z_]+)@", conf)) - {"NAME"}:
        assert f'"{name}":' in cluster  # every placeholder is filled
