#!/usr/bin/python3
"""s3file against a real S3 implementation: Ceph's RADOS Gateway (scripts/rgw.sh).

With the RGW_* variables that `scripts/rgw.sh start` prints, this starts two s3file servers with
the RGW user's keys: one with --s3-endpoint pointing at RGW (the real-S3 mode) and one with its own
S3 emulator. Against RGW it checks the HTTP round trip (policy -> POST -> GET, SHA-256 -> /submit),
boto3's presigned POST accepted by RGW, the server's policy accepted by RGW, and RGW's known
replies (201 with an unquoted <ETag>, no ETag header; none with success_action_status 204). Then
it sends the same refused requests (too large, tampered policy, wrong signature, key outside the
prefix, expired) to RGW and to the emulator and prints their status and S3 code side by side
(docs/rgw.md records the table); each must be refused by both and nothing stored. Last, S3
multipart through the Companion routes against both, with a second pair of servers whose
--max-size fits the parts (rgw_multipart.py: round trip, refusal table, RGW's empty Complete ETag).
Shared helpers: tests/python/s3file_harness.py.
Usage: RGW_ENDPOINT=… RGW_ACCESS_KEY=… RGW_SECRET_KEY=… RGW_BUCKET=… RGW_REGION=… rgw_test.py s3file-server
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

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from s3file_harness import Checks, multipart, request, signing_key, start_server, stop_server, xml_value  # noqa: E402
from rgw_multipart import MULTIPART_MAX_SIZE, multipart_checks  # noqa: E402

MAX_SIZE = 64 * 1024  # --max-size of the POST servers: "too large" stays cheap


def env(name):
    value = os.environ.get(name)
    if not value:
        raise SystemExit(f"rgw_test.py: {name} is not set (start RGW with scripts/rgw.sh start)")
    return value


ENDPOINT, ACCESS, SECRET = env("RGW_ENDPOINT"), env("RGW_ACCESS_KEY"), env("RGW_SECRET_KEY")
BUCKET, REGION = env("RGW_BUCKET"), env("RGW_REGION")


def server(binary, storage, max_size, rgw):
    """s3file-server with the RGW user's keys: in its real-S3 mode against RGW, or with its emulator."""
    args = ["--bind", "127.0.0.1", "--port", "0", "--s3-port", "0", "--storage", storage, "--bucket", BUCKET,
            "--region", REGION, "--max-size", str(max_size), "--secret", secrets.token_hex(32)]
    return start_server(binary, args + (["--s3-endpoint", ENDPOINT] if rgw else []), ACCESS, SECRET, storage_line=not rgw)


def resign(fields, document):
    """The fields with `document` as their policy, signed correctly with the user's key."""
    fields = dict(fields)
    fields["policy"] = base64.b64encode(json.dumps(document).encode()).decode()
    fields["x-amz-signature"] = hmac.new(signing_key(SECRET, REGION, fields["x-amz-date"][:8]), fields["policy"].encode(),
                                         hashlib.sha256).hexdigest()
    return fields


def main():
    check, table = Checks(), []

    s3 = boto3.client("s3", endpoint_url=ENDPOINT, region_name=REGION, aws_access_key_id=ACCESS,
                      aws_secret_access_key=SECRET,
                      config=Config(signature_version="s3v4", s3={"addressing_style": "path"}))

    def rgw_object(key):
        try:
            return s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
        except ClientError:
            return None

    with tempfile.TemporaryDirectory() as storage:
        rgw_server, rgw_urls = server(sys.argv[1], f"{storage}/rgw", MAX_SIZE, rgw=True)
        emu_server, emu_urls = server(sys.argv[1], f"{storage}/emulator", MAX_SIZE, rgw=False)
        # Multipart objects are MiBs: a second pair with a --max-size above them.
        rgw_mp_server, rgw_mp_urls = server(sys.argv[1], f"{storage}/rgw-mp", MULTIPART_MAX_SIZE, rgw=True)
        emu_mp_server, emu_mp_urls = server(sys.argv[1], f"{storage}/emulator-mp", MULTIPART_MAX_SIZE, rgw=False)
        backends = {"rgw": rgw_urls["app"], "emulator": emu_urls["app"]}

        def emulator_object(key, storage_url=emu_urls["s3"]):
            status, _, body = request(f"{storage_url}/{BUCKET}/{urllib.parse.quote(key)}")
            return body if status == 200 else None

        read_back = {"rgw": rgw_object, "emulator": emulator_object}

        def policy(backend, name="a.txt", size=3, type_="text/plain"):
            status, _, reply = request(f"{backends[backend]}/api/policy",
                                       json.dumps({"name": name, "size": size, "type": type_, "field": "doc"}).encode(),
                                       "application/json")
            assert status == 200, (backend, status, reply)
            return json.loads(reply)

        try:
            # 1. The server's HTTP round trip against RGW: policy -> POST -> GET -> /submit.
            issued = policy("rgw", "h\u00e9llo \"w\u00f6rld\".txt", 5000)
            check(issued["url"] == f"{ENDPOINT}/{BUCKET}", f"the policy's URL is RGW's bucket ({issued['url']})")
            content = secrets.token_bytes(5000)
            # As the widget sends it: the policy's fields, Content-Type added when the policy lacks it.
            body, ctype = multipart(list(dict({"Content-Type": "text/plain"}, **issued["fields"]).items()),
                                    "h\u00e9llo w\u00f6rld.txt", content)
            status, headers, reply = request(issued["url"], body, ctype)
            check(status == 201, f"RGW accepts the server's policy (HTTP {status})")
            key = xml_value(reply, "Key")
            check(key == issued["key_prefix"] + "h\u00e9llo w\u00f6rld.txt", f"RGW substitutes ${{filename}} ({key})")
            etag = xml_value(reply, "ETag")
            md5 = hashlib.md5(content).hexdigest()
            print(f"     RGW 201: ETag header {headers.get('ETag')!r}, XML <ETag> {etag!r}")
            check(etag is not None and etag.strip('"') == md5, "the XML <ETag> is the MD5 (quoted or not)")
            stored = rgw_object(key)
            check(stored is not None and hashlib.sha256(stored).hexdigest() == hashlib.sha256(content).hexdigest(),
                  "the object reads back from RGW with the same SHA-256")
            form = urllib.parse.urlencode([("s3file", "doc"), ("doc", key), ("doc-s3f-signature", issued["signature"])])
            status, _, reply = request(f"{rgw_urls['app']}/submit", form.encode(), "application/x-www-form-urlencoded")
            received = json.loads(reply) if status in (200, 201) else {}
            check(status == 201 and any(f.get("key") == key for f in received.get("files", {}).get("doc", [])),
                  f"/submit accepts the key (HTTP {status})")
            form = urllib.parse.urlencode([("s3file", "doc"), ("doc", "elsewhere/x.txt"),
                                           ("doc-s3f-signature", issued["signature"])])
            status, _, _ = request(f"{rgw_urls['app']}/submit", form.encode(), "application/x-www-form-urlencoded")
            check(status == 403, f"/submit refuses a key outside the signed folder (HTTP {status})")

            # Zero bytes.
            issued = policy("rgw", "empty.txt", 0)
            body, ctype = multipart(list(issued["fields"].items()), "empty.txt", b"")
            status, _, reply = request(issued["url"], body, ctype)
            check(status == 201 and rgw_object(xml_value(reply, "Key")) == b"", f"a zero-byte file is stored (HTTP {status})")

            # 2. boto3's presigned POST, RGW's verdict; and success_action_status 204.
            for wanted in ("201", "204"):
                post = s3.generate_presigned_post(
                    BUCKET, "boto/${filename}", Fields={"success_action_status": wanted},
                    Conditions=[{"success_action_status": wanted}, ["content-length-range", 0, 1000]], ExpiresIn=600)
                content = f"boto3 {wanted} h\u00e9llo".encode()
                body, ctype = multipart(list(post["fields"].items()), f"b{wanted}.txt", content)
                status, headers, reply = request(post["url"], body, ctype)
                check(status == int(wanted), f"RGW accepts boto3's presigned POST with success_action_status {wanted} (HTTP {status})")
                check(rgw_object(f"boto/b{wanted}.txt") == content, f"boto3's object ({wanted}) reads back")
                print(f"     RGW {status}: ETag header {headers.get('ETag')!r}, body {reply[:200]!r}")
                if wanted == "204":
                    check(not reply and "ETag" not in headers, "with 204 RGW sends no ETag at all (as the issue says)")

            # 3. The same refused requests to RGW and to the emulator.
            def refusals(backend):
                cases = {}
                issued = policy(backend, "r.txt", 10)
                fields = dict(issued["fields"])
                fields.setdefault("Content-Type", "text/plain")  # the widget adds it
                document = json.loads(base64.b64decode(fields["policy"]))
                prefix = issued["key_prefix"]
                cases["too large"] = (fields, b"x" * (MAX_SIZE + 1), f"{prefix}r.txt")
                widened = json.loads(json.dumps(document))
                for condition in widened["conditions"]:
                    if isinstance(condition, list) and condition[0] == "content-length-range":
                        condition[2] = 10 ** 12
                tampered = dict(fields, policy=base64.b64encode(json.dumps(widened).encode()).decode())
                cases["tampered policy (same signature)"] = (tampered, b"abc", f"{prefix}r.txt")
                cases["wrong signature"] = (dict(fields, **{"x-amz-signature": "0" * 64}), b"abc", f"{prefix}r.txt")
                cases["key outside the prefix"] = (dict(fields, key="elsewhere/r.txt"), b"abc", "elsewhere/r.txt")
                expired = json.loads(json.dumps(document))
                expired["expiration"] = (datetime.datetime.now(datetime.timezone.utc)
                                         - datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
                cases["expired (correctly signed)"] = (resign(fields, expired), b"abc", f"{prefix}r.txt")
                no_type = {k: v for k, v in fields.items() if k != "Content-Type"}
                cases["no Content-Type field under starts-with $Content-Type \"\" (not sent by the widget)"] = (
                    no_type, b"abc", f"{prefix}r.txt")
                results = {}
                for name, (case_fields, data, stored_key) in cases.items():
                    body, ctype = multipart(list(case_fields.items()), "r.txt", data)
                    status, _, reply = request(issued["url"], body, ctype)
                    results[name] = (status, xml_value(reply, "Code"), xml_value(reply, "Message"),
                                     read_back[backend](stored_key) is None)
                return results

            rgw, emu = refusals("rgw"), refusals("emulator")
            print("\n| request | RGW 16.2.15 | emulator | same |\n| --- | --- | --- | --- |")
            for name in rgw:
                r, e = rgw[name], emu[name]
                same = (r[0], r[1]) == (e[0], e[1])
                print(f"| {name} | {r[0]} {r[1]} ({r[2]!r}) | {e[0]} {e[1]} ({e[2]!r}) | {'yes' if same else 'no'} |")
                table.append((name, r, e))
            print()
            for name, r, e in table[:-1]:
                check(400 <= r[0] < 500 and r[3], f"RGW refuses {name} and stores nothing (HTTP {r[0]} {r[1]})")
                check(400 <= e[0] < 500 and e[3], f"the emulator refuses {name} and stores nothing (HTTP {e[0]} {e[1]})")
            # Where RGW answers like AWS S3, the emulator must answer the same.
            for name, want in (("too large", (400, "EntityTooLarge")), ("key outside the prefix", (403, "AccessDenied")),
                               ("expired (correctly signed)", (403, "AccessDenied"))):
                check(rgw[name][:2] == emu[name][:2] == want, f"{name}: {want[0]} {want[1]} from both")
            # RGW's known differences (docs/rgw.md): a bad signature is AccessDenied with an empty
            # Message where S3 (and the emulator) say SignatureDoesNotMatch. Checked, so a change shows.
            for name in ("tampered policy (same signature)", "wrong signature"):
                check(rgw[name][:2] == (403, "AccessDenied") and not rgw[name][2],
                      f"{name}: RGW answers 403 AccessDenied with an empty Message")
                check(emu[name][:2] == (403, "SignatureDoesNotMatch"), f"{name}: the emulator answers 403 SignatureDoesNotMatch as S3")

            # 4. S3 multipart through the Companion routes (tests/rgw/rgw_multipart.py).
            multipart_checks(check, s3, BUCKET, {
                "rgw": {"app": rgw_mp_urls["app"], "store": ENDPOINT, "object": rgw_object},
                "emulator": {"app": emu_mp_urls["app"], "store": emu_mp_urls["s3"],
                             "object": lambda key: emulator_object(key, emu_mp_urls["s3"])},
            })
        finally:
            for process in (rgw_server, emu_server, rgw_mp_server, emu_mp_server):
                stop_server(process)
    return check.summary()


if __name__ == "__main__":
    sys.exit(main())
