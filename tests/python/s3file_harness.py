"""Helpers shared by the Python checks of s3file-server (tests/server/boto3_crosscheck.py against
its emulator, tests/rgw/ against Ceph RGW): starting a server, plain HTTP with urllib (status and
headers kept on errors), the multipart/form-data body of a POST Object, SigV4's signing key, and
the `check(condition, what)` lines with their summary. Standard library only."""
import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import subprocess
import urllib.error
import urllib.request


class Checks:
    """check(condition, what) prints "ok"/"FAIL" and the sentence; summary() the counts."""

    def __init__(self):
        self.passed, self.failures = 0, []

    def __call__(self, condition, what):
        print(("ok   " if condition else "FAIL ") + what, flush=True)
        if condition:
            self.passed += 1
        else:
            self.failures.append(what)
        return bool(condition)

    def summary(self):
        print(f"{self.passed} passed, {len(self.failures)} failed")
        return 1 if self.failures else 0


def start_server(binary, args, access_key, secret_key, storage_line=True):
    """Starts s3file-server with `args` and the store's keys in its environment (no session token
    the calling shell may hold); returns the process and {"app", "s3"} base URLs from the lines it
    prints once listening ("s3" only when it runs its emulator: storage_line)."""
    environment = dict(os.environ, AWS_ACCESS_KEY_ID=access_key, AWS_SECRET_ACCESS_KEY=secret_key)
    environment.pop("AWS_SESSION_TOKEN", None)
    process = subprocess.Popen([binary] + args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               env=environment, text=True)
    urls = {}
    while len(urls) < (2 if storage_line else 1):
        line = process.stdout.readline()
        if not line:
            raise SystemExit("s3file-server exited before listening")
        if line.startswith("s3file-server: app "):
            urls["app"] = line.split()[2].rstrip("/")
        elif line.startswith("s3file-server: storage "):
            urls["s3"] = line.split()[2].rsplit("/", 1)[0]
    return process, urls


def stop_server(process):
    process.terminate()
    process.wait(timeout=10)


def multipart(fields, filename, content, content_type="text/plain"):
    """A POST Object body: the fields in order, then the file part (last, as S3 requires)."""
    boundary = "----s3file" + secrets.token_hex(16)
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 f'Content-Type: {content_type}\r\n\r\n'.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def request(url, body=None, content_type=None, method=None, headers=None):
    """One HTTP exchange: (status, headers (case-insensitive), body bytes), an error status included."""
    headers = dict(headers or {})
    if content_type:
        headers["Content-Type"] = content_type
    req = urllib.request.Request(url, data=body, method=method or ("POST" if body is not None else "GET"),
                                 headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def post(url, body, content_type):
    status, _, reply = request(url, body, content_type)
    return status, reply.decode()


def put(url, body, headers=None):
    """A PUT (a presigned part): (status, ETag header or None, body text)."""
    status, reply_headers, reply = request(url, body, method="PUT", headers=headers)
    return status, reply_headers.get("ETag") if status == 200 else None, reply.decode(errors="replace")


def app_json(url, method="GET", body=None):
    """A JSON route of the app: (status, parsed JSON reply, or None when it is not JSON)."""
    data = None if body is None else json.dumps(body).encode()
    status, _, reply = request(url, data, "application/json" if data is not None else None, method)
    try:
        return status, json.loads(reply)
    except ValueError:
        return status, None


def xml_value(reply, tag):
    """The text of the first <tag> in an XML reply (bytes or str), or None."""
    text = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
    match = re.search(rf"<{tag}>(.*?)</{tag}>", text, re.S)
    return match.group(1) if match else None


def content_md5(data):
    """The Content-MD5 header of `data`: base64 of its MD5 digest (RFC 1864)."""
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def signing_key(secret, region, date):
    """SigV4's signing key for yyyymmdd `date` (AWS's published derivation, with Python's hmac)."""
    key = hmac.new(("AWS4" + secret).encode(), date.encode(), hashlib.sha256).digest()
    for part in (region, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key
