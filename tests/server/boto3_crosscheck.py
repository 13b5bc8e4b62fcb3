#!/usr/bin/python3
"""Cross-checks the s3file server's SigV4 POST signing against the real AWS SDK (boto3).

1. A policy made by boto3's generate_presigned_post with the server's credentials must be
   accepted by the server's S3 emulator, and the stored bytes must read back unchanged.
2. A policy made by the server must carry the signature an independent HMAC computation
   (Python's hmac module, AWS's published algorithm) gives.
Usage: boto3_crosscheck.py path/to/s3file-server
"""
import hashlib
import hmac
import json
import os
import secrets
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

import boto3
from botocore.config import Config

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
REGION = "eu-central-1"
BUCKET = "crosscheck"


def start_server(binary, storage):
    env = dict(os.environ, AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET_KEY)
    env.pop("AWS_SESSION_TOKEN", None)
    process = subprocess.Popen(
        [binary, "--port", "0", "--storage", storage, "--bucket", BUCKET, "--region", REGION,
         "--secret", secrets.token_hex(32)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    urls = {}
    while len(urls) < 2:
        line = process.stdout.readline()
        if not line:
            raise SystemExit("server exited before listening")
        if line.startswith("s3file-server: app "):
            urls["app"] = line.split()[2].rstrip("/")
        elif line.startswith("s3file-server: storage "):
            urls["s3"] = line.split()[2].rsplit("/", 1)[0]
    return process, urls


def multipart(fields, filename, content, content_type):
    boundary = "----crosscheck" + secrets.token_hex(16)
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 f'Content-Type: {content_type}\r\n\r\n'.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def post(url, body, content_type):
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def signing_key(date):
    key = hmac.new(("AWS4" + SECRET_KEY).encode(), date.encode(), hashlib.sha256).digest()
    for part in (REGION, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def main():
    failures = []
    checks = []

    def check(condition, what):
        print(("ok   " if condition else "FAIL ") + what)
        checks.append(what)
        if not condition:
            failures.append(what)

    with tempfile.TemporaryDirectory() as storage:
        process, urls = start_server(sys.argv[1], storage)
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
            expected = hmac.new(signing_key(date), fields["policy"].encode(), hashlib.sha256).hexdigest()
            check(fields["x-amz-signature"] == expected, "the server's signature equals Python hmac's")
            check(fields["x-amz-credential"] == f"{ACCESS_KEY}/{date}/{REGION}/s3/aws4_request",
                  "the server's credential scope is AWS's")
            document = json.loads(__import__("base64").b64decode(fields["policy"]))
            check({"bucket": BUCKET} in document["conditions"], "the policy pins the bucket")
        finally:
            process.terminate()
            process.wait(timeout=10)
    print(f"{len(checks) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
