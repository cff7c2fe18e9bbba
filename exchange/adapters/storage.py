"""Uploaded files (profile pictures): a folder under the instance, an S3-compatible bucket,
or memory in tests.

The app servers keep nothing of their own when the bucket is set (STORAGE_BACKEND=s3), so
any worker on any machine serves any file. Keys are plain relative names ("photos/12/…");
the adapter only stores and reads, and says when it could not (`StorageError`)."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path, PurePosixPath

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError
from flask import Flask, current_app

log = logging.getLogger("archipel.storage")


class StorageError(Exception):
    """The file store did not answer, or refused: nothing can be assumed stored."""


def _checked(key: str) -> str:
    path = PurePosixPath(key)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"not a storage key: {key!r}")
    return str(path)


class LocalStorage:
    """A folder (STORAGE_PATH, instance/uploads by default): for one machine."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        target = self.root / _checked(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Written aside, then renamed: a reader never sees half a file.
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, target)
        except OSError as e:
            raise StorageError(str(e)) from e

    def get(self, key: str) -> bytes | None:
        try:
            return (self.root / _checked(key)).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as e:
            raise StorageError(str(e)) from e

    def delete(self, key: str) -> None:
        try:
            (self.root / _checked(key)).unlink(missing_ok=True)
        except OSError as e:
            raise StorageError(str(e)) from e


class S3Storage:
    """An S3-compatible bucket (AWS, Scaleway, OVH, MinIO, Garage…): for many machines.
    Credentials come the usual boto3 way (AWS_ACCESS_KEY_ID… or the machine's role)."""

    def __init__(self, config):
        self.bucket = config["S3_BUCKET"]
        self.prefix = config.get("S3_PREFIX") or ""
        self.client = boto3.client(
            "s3",
            endpoint_url=config.get("S3_ENDPOINT_URL") or None,
            region_name=config.get("S3_REGION") or None,
            config=BotoConfig(
                connect_timeout=config.get("STORAGE_TIMEOUT", 5),
                read_timeout=config.get("STORAGE_TIMEOUT", 5),
                retries={"max_attempts": 2},
            ),
        )

    def _key(self, key: str) -> str:
        return self.prefix + _checked(key)

    def put(self, key: str, data: bytes, content_type: str) -> None:
        try:
            self.client.put_object(
                Bucket=self.bucket, Key=self._key(key), Body=data, ContentType=content_type
            )
        except (BotoCoreError, ClientError) as e:
            raise StorageError(str(e)) from e

    def get(self, key: str) -> bytes | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
            return answer["Body"].read()
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                return None
            raise StorageError(str(e)) from e
        except BotoCoreError as e:
            raise StorageError(str(e)) from e

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._key(key))
        except (BotoCoreError, ClientError) as e:
            raise StorageError(str(e)) from e


class MemoryStorage:
    """The fake for tests: a dict; `down = True` makes it fail like a store that is away."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.down = False

    def _up(self) -> None:
        if self.down:
            raise StorageError("the store is down")

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self._up()
        self.files[_checked(key)] = data

    def get(self, key: str) -> bytes | None:
        self._up()
        return self.files.get(_checked(key))

    def delete(self, key: str) -> None:
        self._up()
        self.files.pop(_checked(key), None)


def init_app(app: Flask) -> None:
    backend = app.config.get("STORAGE_BACKEND") or (
        "s3" if app.config.get("S3_BUCKET") else "local"
    )
    if backend == "s3":
        store: LocalStorage | S3Storage | MemoryStorage = S3Storage(app.config)
    elif backend == "memory":
        store = MemoryStorage()
    else:
        store = LocalStorage(app.config.get("STORAGE_PATH") or Path(app.instance_path) / "uploads")
    app.extensions["archipel.storage"] = store


def storage():
    return current_app.extensions["archipel.storage"]
