"""The file store behind the pictures: a folder under the instance, or an S3-compatible bucket
(tried against moto's fake S3), with the same behaviour and the same failure."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from exchange import create_app
from exchange.adapters import storage
from exchange.config import TestConfig


@pytest.fixture
def bucket(monkeypatch):
    for name, value in {
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "eu-west-3",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        boto3.client("s3", region_name="eu-west-3").create_bucket(
            Bucket="archipel-photos",
            CreateBucketConfiguration={"LocationConstraint": "eu-west-3"},
        )
        yield storage.S3Storage(
            {"S3_BUCKET": "archipel-photos", "S3_REGION": "eu-west-3", "S3_PREFIX": "reseau/"}
        )


@pytest.fixture(params=["local", "s3", "memory"])
def store(request, tmp_path):
    if request.param == "local":
        return storage.LocalStorage(tmp_path / "uploads")
    if request.param == "s3":
        return request.getfixturevalue("bucket")
    return storage.MemoryStorage()


def test_a_file_put_is_read_back_and_gone_once_deleted(store):
    store.put("photos/3/abc-large.webp", b"RIFF....WEBP", "image/webp")
    assert store.get("photos/3/abc-large.webp") == b"RIFF....WEBP"
    store.put("photos/3/abc-large.webp", b"again", "image/webp")
    assert store.get("photos/3/abc-large.webp") == b"again"
    store.delete("photos/3/abc-large.webp")
    assert store.get("photos/3/abc-large.webp") is None
    store.delete("photos/3/abc-large.webp")  # twice is no error


@pytest.mark.parametrize("key", ["../secret_key", "/etc/passwd", "photos/../../x", ""])
def test_a_key_never_leaves_the_store(store, key):
    with pytest.raises(ValueError):
        store.put(key, b"x", "text/plain")


def test_the_bucket_holds_the_files_under_the_prefix_with_their_type(bucket):
    bucket.put("photos/3/abc-small.webp", b"data", "image/webp")
    kept = bucket.client.head_object(Bucket="archipel-photos", Key="reseau/photos/3/abc-small.webp")
    assert kept["ContentType"] == "image/webp"


def test_a_bucket_that_refuses_is_a_storage_error(bucket):
    bucket.bucket = "no-such-bucket"
    with pytest.raises(storage.StorageError):
        bucket.put("photos/1/a-large.webp", b"x", "image/webp")
    with pytest.raises(storage.StorageError):
        bucket.get("photos/1/a-large.webp")


def test_a_folder_that_cannot_be_written_is_a_storage_error(tmp_path):
    (tmp_path / "uploads").write_text("a file where the folder should be")
    with pytest.raises(storage.StorageError):
        storage.LocalStorage(tmp_path / "uploads").put("photos/1/a.webp", b"x", "image/webp")


def test_the_store_is_chosen_from_the_settings(tmp_path, bucket):
    local = create_app(TestConfig, STORAGE_BACKEND=None, STORAGE_PATH=str(tmp_path))
    assert isinstance(local.extensions["archipel.storage"], storage.LocalStorage)
    assert local.extensions["archipel.storage"].root == tmp_path
    s3 = create_app(TestConfig, STORAGE_BACKEND=None, S3_BUCKET="archipel-photos")
    assert isinstance(s3.extensions["archipel.storage"], storage.S3Storage)
