"""Reads objects back from the Ceph RGW of this test run with boto3 (the AWS SDK), the way a
user's own code would, and prints JSON on stdout for e2e/rgw/fixtures.js:

    read_object.py get KEY      -> {"size", "sha256", "md5", "etag", "type"} or {"missing": true}
    read_object.py list PREFIX  -> ["key", ...] (every page)

The endpoint, bucket and keys come from scripts/rgw.sh's RGW_* variables."""
import hashlib
import json
import os
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def client():
    return boto3.client("s3", endpoint_url=os.environ["RGW_ENDPOINT"], region_name=os.environ["RGW_REGION"],
                        aws_access_key_id=os.environ["RGW_ACCESS_KEY"],
                        aws_secret_access_key=os.environ["RGW_SECRET_KEY"],
                        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))


def get(s3, key):
    try:
        reply = s3.get_object(Bucket=os.environ["RGW_BUCKET"], Key=key)
    except ClientError as error:
        if error.response["Error"]["Code"] in ("NoSuchKey", "404"):
            return {"missing": True}
        raise
    sha, md5, size = hashlib.sha256(), hashlib.md5(), 0
    for chunk in iter(lambda: reply["Body"].read(1 << 20), b""):
        sha.update(chunk)
        md5.update(chunk)
        size += len(chunk)
    return {"size": size, "sha256": sha.hexdigest(), "md5": md5.hexdigest(), "etag": reply["ETag"],
            "type": reply["ContentType"]}


def listing(s3, prefix):
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=os.environ["RGW_BUCKET"], Prefix=prefix):
        keys += [entry["Key"] for entry in page.get("Contents", [])]
    return keys


if __name__ == "__main__":
    command, argument = sys.argv[1], sys.argv[2]
    print(json.dumps(get(client(), argument) if command == "get" else listing(client(), argument)))
