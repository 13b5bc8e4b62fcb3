#!/usr/bin/python3
"""Cross-checks the s3file server's SigV4 POST signing against the real AWS SDK (boto3).

1. A policy made by boto3's generate_presigned_post with the server's credentials must be
   accepted by the server's S3 emulator, and the stored bytes must read back unchanged.
2. A policy made by the server must carry the signature an independent HMAC computation
   (Python's hmac module, AWS's published algorithm) gives.
4. The app's Companion routes: a part URL it presigns equals boto3's generate_presigned_url
   ('upload_part') for the same key, upload id, part and time; a whole upload through the
   routes reads back with the same SHA-256.
3. boto3's multipart calls against the emulator: create, upload_part (header-signed) and a
   presigned upload_part URL PUT with urllib, list_parts page by page, complete, get_object
   compared by SHA-256, and S3's refusals (order, ETag, Content-MD5, abort).
Usage: boto3_crosscheck.py path/to/s3file-server
"""
import base64
import datetime
import hashlib
import hmac
import json
import os
import secrets
import sys
import tempfile
import urllib.parse
import urllib.request
from unittest import mock

import botocore.auth

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from s3file_harness import Checks, app_json, multipart, post, put, signing_key, start_server, stop_server  # noqa: E402

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
REGION = "eu-central-1"
BUCKET = "crosscheck"


def error_code(call):
    try:
        call()
    except ClientError as error:
        return error.response["Error"]["Code"]
    return None


def multipart_checks(s3, check):
    key = "parts/video.bin"
    part1 = secrets.token_bytes(5 * 1024 * 1024)  # S3's smallest non-last part
    part2 = secrets.token_bytes(12345)
    upload_id = s3.create_multipart_upload(Bucket=BUCKET, Key=key, ContentType="video/mp4")["UploadId"]
    check(len(upload_id) == 32, "create_multipart_upload answers an upload id")
    etag1 = s3.upload_part(Bucket=BUCKET, Key=key, UploadId=upload_id, PartNumber=1, Body=part1)["ETag"]
    check(etag1 == '"' + hashlib.md5(part1).hexdigest() + '"', "boto3's upload_part (payload signed) is stored, ETag = MD5")
    url = s3.generate_presigned_url("upload_part", ExpiresIn=600,
                                    Params={"Bucket": BUCKET, "Key": key, "UploadId": upload_id, "PartNumber": 2})
    md5 = base64.b64encode(hashlib.md5(part2).digest()).decode()
    status, _, reply = put(url, part2, {"Content-MD5": base64.b64encode(hashlib.md5(b"other").digest()).decode()})
    check(status == 400 and "BadDigest" in reply, "a presigned part with a wrong Content-MD5 is refused (BadDigest)")
    status, etag2, _ = put(url, part2, {"Content-MD5": md5})
    check(status == 200 and etag2 == '"' + hashlib.md5(part2).hexdigest() + '"',
          f"boto3's presigned upload_part URL is accepted by the emulator (HTTP {status})")
    status, _, reply = put(url.replace("X-Amz-Signature=", "X-Amz-Signature=0"), part2)
    check(status == 403 and "SignatureDoesNotMatch" in reply, "a tampered presigned URL is refused")
    pages = []
    marker = 0
    while True:
        page = s3.list_parts(Bucket=BUCKET, Key=key, UploadId=upload_id, MaxParts=1, PartNumberMarker=marker)
        pages.append([(p["PartNumber"], p["Size"], p["ETag"]) for p in page.get("Parts", [])])
        if not page["IsTruncated"]:
            break
        marker = page["NextPartNumberMarker"]
    check(pages == [[(1, len(part1), etag1)], [(2, len(part2), etag2)]], "list_parts pages one part at a time")
    check(error_code(lambda: s3.complete_multipart_upload(
        Bucket=BUCKET, Key=key, UploadId=upload_id,
        MultipartUpload={"Parts": [{"PartNumber": 2, "ETag": etag2}, {"PartNumber": 1, "ETag": etag1}]})) == "InvalidPartOrder",
        "complete with parts out of order: InvalidPartOrder")
    check(error_code(lambda: s3.complete_multipart_upload(
        Bucket=BUCKET, Key=key, UploadId=upload_id,
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag2}]})) == "InvalidPart",
        "complete with a wrong ETag: InvalidPart")
    done = s3.complete_multipart_upload(Bucket=BUCKET, Key=key, UploadId=upload_id, MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": etag1}, {"PartNumber": 2, "ETag": etag2}]})
    expected_etag = '"' + hashlib.md5(hashlib.md5(part1).digest() + hashlib.md5(part2).digest()).hexdigest() + '-2"'
    check(done["ETag"] == expected_etag, "the multipart ETag is MD5 of the part MD5s, -2")
    body = s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    check(hashlib.sha256(body).digest() == hashlib.sha256(part1 + part2).digest(), "get_object reads back the parts (SHA-256)")
    check(error_code(lambda: s3.list_parts(Bucket=BUCKET, Key=key, UploadId=upload_id)) == "NoSuchUpload",
          "a completed upload is gone (NoSuchUpload)")
    other = s3.create_multipart_upload(Bucket=BUCKET, Key="parts/aborted.bin")["UploadId"]
    s3.upload_part(Bucket=BUCKET, Key="parts/aborted.bin", UploadId=other, PartNumber=1, Body=b"abc")
    s3.abort_multipart_upload(Bucket=BUCKET, Key="parts/aborted.bin", UploadId=other)
    check(error_code(lambda: s3.list_parts(Bucket=BUCKET, Key="parts/aborted.bin", UploadId=other)) == "NoSuchUpload",
          "abort_multipart_upload removes the upload")
    check(error_code(lambda: s3.head_object(Bucket=BUCKET, Key="parts/aborted.bin")) == "404", "an aborted upload leaves no object")
    anonymous = boto3.client("s3", region_name=REGION, endpoint_url=s3.meta.endpoint_url,
                             aws_access_key_id=ACCESS_KEY, aws_secret_access_key="wrong" + SECRET_KEY,
                             config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
    check(error_code(lambda: anonymous.create_multipart_upload(Bucket=BUCKET, Key=key)) == "SignatureDoesNotMatch",
          "a request signed with the wrong secret is refused (SignatureDoesNotMatch)")


def boto3_part_url(url, key, upload_id, part):
    """boto3's presigned upload_part URL for the same store, at the X-Amz-Date of `url`."""
    parts = urllib.parse.urlsplit(url)
    signed_at = datetime.datetime.strptime(urllib.parse.parse_qs(parts.query)["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ")

    class Frozen(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return signed_at

    client = boto3.client("s3", region_name=REGION, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                          endpoint_url=f"{parts.scheme}://{parts.netloc}",
                          config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
    with mock.patch.object(botocore.auth.datetime, "datetime", Frozen):
        return client.generate_presigned_url("upload_part", ExpiresIn=3600, Params={
            "Bucket": BUCKET, "Key": key, "UploadId": upload_id, "PartNumber": part})


def companion_checks(urls, check):
    app = urls["app"]
    status, upload = app_json(f"{app}/s3/multipart", "POST", {"filename": "my clip (1).mp4", "type": "video/mp4", "metadata": {}})
    check(status == 200 and set(upload) == {"key", "uploadId", "bucket", "signature"}, "POST /s3/multipart answers {key, uploadId, bucket, signature}")
    key, upload_id = upload["key"], upload["uploadId"]
    route = f"{app}/s3/multipart/{upload_id}"
    query = "key=" + urllib.parse.quote(key, safe="")
    status, signed = app_json(f"{route}/3?{query}")
    ours = urllib.parse.urlsplit(signed["url"])
    theirs = urllib.parse.urlsplit(boto3_part_url(signed["url"], key, upload_id, 3))
    check(ours.path == theirs.path and sorted(urllib.parse.parse_qsl(ours.query)) == sorted(urllib.parse.parse_qsl(theirs.query)),
          "the server's presigned part URL equals boto3's generate_presigned_url('upload_part') at the same time")
    part1, part2 = secrets.token_bytes(5 * 1024 * 1024), secrets.token_bytes(4321)
    status, batch = app_json(f"{route}/batch?{query}&partNumbers=1,2")
    etags = [put(batch["presignedUrls"][str(n)], body)[1] for n, body in ((1, part1), (2, part2))]
    status, listed = app_json(f"{route}?{query}")
    check([p["Size"] for p in listed] == [len(part1), len(part2)], "GET /s3/multipart/:id lists the parts")
    status, done = app_json(f"{route}/complete?{query}", "POST",
                            {"parts": [{"PartNumber": n + 1, "ETag": etag} for n, etag in enumerate(etags)]})
    check(status == 200 and done["key"] == key and done["bucket"] == BUCKET, "complete answers {location, key, bucket}")
    part_md5s = hashlib.md5(part1).digest() + hashlib.md5(part2).digest()
    check(done.get("etag") == '"' + hashlib.md5(part_md5s).hexdigest() + '-2"', "complete answers the object's multipart ETag")
    with urllib.request.urlopen(done["location"]) as response:
        check(hashlib.sha256(response.read()).digest() == hashlib.sha256(part1 + part2).digest(),
              "the object at `location` has the parts' SHA-256")
    status, refused = app_json(f"{route}?key=" + urllib.parse.quote("tmp/s3file/forged/x.mp4", safe=""))
    check(status == 403, "a key outside the signed folders is refused (403)")


def main():
    check = Checks()
    with tempfile.TemporaryDirectory() as storage:
        process, urls = start_server(sys.argv[1], ["--port", "0", "--storage", storage, "--bucket", BUCKET, "--region", REGION,
                                                   "--secret", secrets.token_hex(32)], ACCESS_KEY, SECRET_KEY)
        try:
            # 1. boto3's policy, the emulator's verdict.
            s3 = boto3.client("s3", region_name=REGION, aws_access_key_id=ACCESS_KEY,
                              aws_secret_access_key=SECRET_KEY, endpoint_url=urls["s3"],
                              config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))
            post_policy = s3.generate_presigned_post(
                BUCKET, "uploads/${filename}",
                Fields={"success_action_status": "201", "Content-Type": "text/plain"},
                Conditions=[{"success_action_status": "201"}, {"Content-Type": "text/plain"},
                            ["content-length-range", 0, 1000]],
                ExpiresIn=600)
            content = "boto3 says h\u00e9llo".encode()
            body, content_type = multipart(list(post_policy["fields"].items()), "boto.txt", content, "text/plain")
            status, reply = post(post_policy["url"], body, content_type)
            check(status == 201, f"emulator accepts boto3's presigned POST (HTTP {status})")
            check("<Key>uploads/boto.txt</Key>" in reply, "the PostResponse names the substituted key")
            with urllib.request.urlopen(f"{urls['s3']}/{BUCKET}/uploads/boto.txt") as response:
                check(response.read() == content, "the stored object reads back byte for byte")
            tampered = dict(post_policy["fields"])
            tampered["x-amz-signature"] = "0" * 64
            body, content_type = multipart(list(tampered.items()), "boto.txt", content, "text/plain")
            status, reply = post(post_policy["url"], body, content_type)
            check(status == 403 and "SignatureDoesNotMatch" in reply, "a tampered boto3 signature is refused")

            # 2. The server's policy, an independent HMAC.
            status, reply = post(f"{urls['app']}/api/policy",
                                 json.dumps({"name": "x.txt", "size": 3, "type": "text/plain", "field": "f"}).encode(),
                                 "application/json")
            issued = json.loads(reply)
            fields = issued["fields"]
            date = fields["x-amz-date"][:8]
            expected = hmac.new(signing_key(SECRET_KEY, REGION, date), fields["policy"].encode(), hashlib.sha256).hexdigest()
            check(fields["x-amz-signature"] == expected, "the server's signature equals Python hmac's")
            check(fields["x-amz-credential"] == f"{ACCESS_KEY}/{date}/{REGION}/s3/aws4_request",
                  "the server's credential scope is AWS's")
            document = json.loads(base64.b64decode(fields["policy"]))
            check({"bucket": BUCKET} in document["conditions"], "the policy pins the bucket")
            multipart_checks(s3, check)
            companion_checks(urls, check)
        finally:
            stop_server(process)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
