"""Where uploaded files live: the local disk, or an S3-compatible object store.

One machine keeps its files under ``MEDIA_ROOT``. Several app nodes share
one object store instead, named by ``STORAGE_URL`` (docs/deployment.md):

    s3://ACCESS_KEY:SECRET_KEY@HOST[:PORT]/BUCKET[/PREFIX]?region=eu-central-1

``HOST`` is the store's endpoint (MinIO, Garage, a cloud provider), reached
over HTTPS unless ``?tls=0``; without a host (``s3:///BUCKET``) it is AWS,
with keys and region from the usual AWS variables or the machine's role.
Files are private: no public ACL, and a URL the storage makes for a file is
signed and expires after ``STORAGE_URL_EXPIRE`` seconds. The portal itself
streams attachments to staff after its permission checks, as on one disk.

django-import-export keeps an import between its dry run and its confirm in
the same store (``MediaStorage``, under ``django-import-export/``), so that
the confirm may reach another node than the dry run.
"""

from urllib.parse import parse_qs, unquote, urlsplit

S3_BACKEND = "storages.backends.s3.S3Storage"
LOCAL_BACKEND = "django.core.files.storage.FileSystemStorage"
IMPORT_TMP_SHARED = "import_export.tmp_storages.MediaStorage"
IMPORT_TMP_LOCAL = "import_export.tmp_storages.TempFolderStorage"

_TRUE = {"1", "true", "yes", "on"}


class StorageUrlError(ValueError):
    pass


def s3_options(url, *, expire=300):
    """Return django-storages' S3Storage options for a ``STORAGE_URL``."""
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise StorageUrlError(f"STORAGE_URL must start with s3://, not {parts.scheme or url!r}")
    bucket, _, prefix = parts.path.lstrip("/").partition("/")
    if not bucket:
        raise StorageUrlError("STORAGE_URL names no bucket: s3://KEY:SECRET@HOST/BUCKET")
    query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
    options = {
        "bucket_name": bucket,
        "location": prefix.strip("/"),
        # Private objects, and a fresh name instead of overwriting a file.
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
        "querystring_expire": expire,
        "signature_version": "s3v4",
    }
    if parts.hostname:
        tls = query.get("tls", "1").lower() in _TRUE
        host = parts.hostname if parts.port is None else f"{parts.hostname}:{parts.port}"
        options["endpoint_url"] = f"{'https' if tls else 'http'}://{host}"
        # Self-hosted stores (MinIO, Garage, moto) answer on one host name.
        options["addressing_style"] = "path"
    if parts.username:
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password or "")
    if query.get("region"):
        options["region_name"] = query["region"]
    return options


def storages(url, *, staticfiles, expire=300):
    """Return ``STORAGES`` for ``STORAGE_URL`` (empty: the local disk) and the static storage."""
    if not url:
        default = {"BACKEND": LOCAL_BACKEND}
    else:
        default = {"BACKEND": S3_BACKEND, "OPTIONS": s3_options(url, expire=expire)}
    return {"default": default, "staticfiles": staticfiles}


def import_tmp_storage_class(url):
    """Where django-import-export keeps a file between its dry run and its confirm."""
    return IMPORT_TMP_SHARED if url else IMPORT_TMP_LOCAL
