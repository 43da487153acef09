"""Files on S3-compatible storage (BLUESKY_MEDIA_STORAGE=s3, django-storages), for web hosts that share no disk.

The bucket is a real S3 HTTP server on this machine (moto's server mode, standing in for MinIO or a cloud
bucket): boto3 talks to it over HTTP exactly as it would to those.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys

import boto3
import openpyxl
import pytest
from moto.server import ThreadedMotoServer

from reports.outputs import ranking
from tests.conftest import ROOT
from tests.jobs.ranking_data import FEB, build_ranking_world

BUCKET = "bluesky-media"


@pytest.fixture
def s3_endpoint():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test", "region_name": "us-east-1"}
    boto3.client("s3", endpoint_url=endpoint, **credentials).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


def _s3_settings(endpoint: str) -> dict:
    return {
        "BLUESKY_MEDIA_STORAGE": "s3",
        "BLUESKY_S3_BUCKET": BUCKET,
        "BLUESKY_S3_ENDPOINT_URL": endpoint,
        "BLUESKY_S3_REGION": "us-east-1",
        "BLUESKY_S3_ACCESS_KEY": "test",
        "BLUESKY_S3_SECRET_KEY": "test",
    }


def _settings_storage(env: dict) -> dict:
    """The STORAGES["default"] that bluesky/settings.py builds from ``env``, in a fresh interpreter."""
    probe = "import json; from django.conf import settings; print(json.dumps(settings.STORAGES['default']))"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {probe}"],
        cwd=ROOT,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "bluesky.settings"} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result


def test_the_media_storage_setting_chooses_the_folder_or_the_bucket():
    import json

    folder = _settings_storage({})
    assert (
        json.loads(folder.stdout.splitlines()[-1])["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    )
    bucket = json.loads(_settings_storage(_s3_settings("http://127.0.0.1:9000")).stdout.splitlines()[-1])
    assert bucket["BACKEND"] == "storages.backends.s3.S3Storage"
    assert bucket["OPTIONS"]["bucket_name"] == BUCKET
    assert bucket["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"
    refused = _settings_storage({"BLUESKY_MEDIA_STORAGE": "ftp"})
    assert refused.returncode != 0 and "BLUESKY_MEDIA_STORAGE" in refused.stderr


@pytest.mark.django_db
def test_a_ranking_file_is_written_to_the_bucket_and_downloaded_from_it(
    s3_endpoint, settings, client, office_admin
):
    options = _s3_settings(s3_endpoint)
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": options["BLUESKY_S3_REGION"],
                "access_key": "test",
                "secret_key": "test",
                "location": "media",
                "default_acl": None,
                "file_overwrite": False,
            },
        }
    }
    build_ranking_world()

    built = ranking.build_ranking(period=FEB)
    rebuilt = ranking.build_ranking(period=FEB)  # rebuilt in place: one object, not a second copy

    objects = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    ).list_objects_v2(Bucket=BUCKET)["Contents"]
    assert [o["Key"] for o in objects] == ["media/rankings/ranking-2026-02.xlsx"]
    assert rebuilt.file.name == built.file.name == "rankings/ranking-2026-02.xlsx"
    assert not (settings.MEDIA_ROOT / "rankings").exists()  # nothing went to the local folder

    client.force_login(office_admin)
    response = client.get("/jobs/rankings/2026-02/download/")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.active.max_row > 1
