"""The lake's data in object storage: `moto[server]` on loopback as the S3 endpoint. A run publishes its Parquet files
into the bucket, an analyst reads them back, and the access key's secret never reaches an output or a file."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.team_tests.conftest import Lake, host
from tests.team_tests.postgres import free_port
from tests.team_tests.test_team_faults import SMALL

pytestmark = pytest.mark.slow

KEY_ID = "AKIAQTWATCHTEST"
SECRET = "Zx9kQ7mWv2LpT4nR8sYb3cFdJ6hG"  # not a real credential: moto accepts any key


@pytest.fixture
def s3() -> Iterator[str]:
    """A moto S3 server on a free loopback port with an empty bucket `qtwatch`; its endpoint URL."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        endpoint = f"http://127.0.0.1:{port}"
        import boto3

        boto3.client(
            "s3", endpoint_url=endpoint, aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET, region_name="us-east-1"
        ).create_bucket(Bucket="qtwatch")
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


def _bucket(s3: str) -> list[str]:
    import boto3

    client = boto3.client(
        "s3", endpoint_url=s3, aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET, region_name="us-east-1"
    )
    return [o["Key"] for o in client.list_objects_v2(Bucket="qtwatch", Prefix="lake/").get("Contents", [])]


def _no_secret_anywhere(tmp_path: Path, *outputs: str) -> None:
    assert not any(SECRET in out for out in outputs)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_a_lake_in_s3_publishes_and_reads_back_and_keeps_its_key_secret(postgres, tmp_path, s3):
    database = "lake_s3"
    postgres.create(database)
    lake = Lake(postgres, database, tmp_path / "unused")
    writer, analyst = host(lake, tmp_path, "writer"), host(lake, tmp_path, "analyst")
    aws = {"AWS_ACCESS_KEY_ID": KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_ENDPOINT_URL": s3}
    writer.extra.update(aws, QTWATCH_LAKE_DATA_PATH="s3://qtwatch/lake/")
    analyst.extra.update(aws)
    done = writer.qtwatch(*SMALL)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    keys = _bucket(s3)
    assert any(k.endswith(".parquet") and "/raw/nyfed_reference_rates/" in k for k in keys), keys[:10]
    out = analyst.ok("sql", "SELECT count(*) AS n FROM core.nyfed_reference_rates")
    assert int(out.split()[1]) > 1000
    status = analyst.ok("status")
    _no_secret_anywhere(tmp_path, done.stdout, done.stderr, out, status)


def test_the_writer_may_take_the_s3_key_from_a_prefect_secret_block(postgres, tmp_path, s3):
    """No AWS_* variable on the writer: `qtwatch run` reads the key from the Prefect Secret block qtwatch-lake-s3."""
    database = "lake_s3_block"
    postgres.create(database)
    lake = Lake(postgres, database, tmp_path / "unused")
    writer = host(lake, tmp_path, "writer")
    writer.extra.update(QTWATCH_LAKE_DATA_PATH="s3://qtwatch/lake/")
    value = {"aws_access_key_id": KEY_ID, "aws_secret_access_key": SECRET, "aws_endpoint_url": s3}
    save = f"from prefect.blocks.system import Secret; Secret(value={value!r}).save('qtwatch-lake-s3')"
    saved = subprocess.run([sys.executable, "-c", save], env=writer.env(), capture_output=True, text=True, timeout=300)
    assert saved.returncode == 0, saved.stderr[-2000:]
    done = writer.qtwatch(*SMALL)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert any(k.endswith(".parquet") for k in _bucket(s3))
    _no_secret_anywhere(tmp_path, done.stdout, done.stderr)  # the Prefect database holds the block encrypted
