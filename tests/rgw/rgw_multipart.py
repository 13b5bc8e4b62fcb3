"""S3 multipart through s3file-server's Companion routes (src/server/app/companion_s3.cpp), once
with --s3-endpoint at Ceph RGW and once with the server's own emulator, the same requests to both:

- the round trip: POST /s3/multipart -> a batch of part URLs -> three parts PUT with Content-MD5
  (5 MiB, 5 MiB, 1 MiB + 123 B: S3's smallest non-last part) -> GET /s3/multipart/:id lists them
  -> complete -> the object (read back, SHA-256), its multipart ETag in the reply and in HEAD,
  /submit accepts the key with the returned signature, the completed upload is gone;
- the refusals (printed as a table, docs/rgw.md records it): a part with a wrong or a malformed
  Content-MD5, complete with a wrong ETag, out of order, with a small non-last part, an upload
  after abort; each refused by both with nothing stored;
- RGW's own CompleteMultipartUpload reply through boto3 (its empty ETag, why the route HEADs).
Called by rgw_test.py with its check() and the two backends."""
import hashlib
import secrets
import urllib.parse

from botocore.exceptions import ClientError

from s3file_harness import app_json, content_md5, put, request, xml_value

MiB = 1024 * 1024
MULTIPART_MAX_SIZE = 64 * MiB  # --max-size of the multipart servers: above the 11 MiB object
OUT_OF_ORDER = "complete with parts out of order (5 MiB, 1000 B listed as 2, 1)"


def md5_hex(data):
    return hashlib.md5(data).hexdigest()


def multipart_etag(parts):
    """S3's ETag of a multipart object: the MD5 of the parts' MD5 digests, "-<count>", quoted."""
    return '"' + hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts)).hexdigest() + f'-{len(parts)}"'


def create(app, filename="clip (1).mp4", type_="video/mp4", size=None):
    metadata = {} if size is None else {"size": str(size)}
    return app_json(f"{app}/s3/multipart", "POST", {"filename": filename, "type": type_, "metadata": metadata})


def route(app, upload, tail="", query=""):
    """A Companion route of `upload` ({key, uploadId}) with its ?key=."""
    quote = lambda text: urllib.parse.quote(text, safe="")  # noqa: E731
    return f"{app}/s3/multipart/{quote(upload['uploadId'])}{tail}?key={quote(upload['key'])}{query}"


def part_urls(app, upload, numbers):
    status, reply = app_json(route(app, upload, "/batch", "&partNumbers=" + ",".join(map(str, numbers))))
    return reply.get("presignedUrls", {}) if status == 200 else {}


def complete(app, upload, etags):
    """POST …/complete with [(PartNumber, ETag)]: (status, JSON reply)."""
    parts = [{"PartNumber": number, "ETag": etag} for number, etag in etags]
    return app_json(route(app, upload, "/complete"), "POST", {"parts": parts})


def upload_parts(app, parts):
    """A fresh upload with `parts` stored (each with its Content-MD5): the upload and their ETags."""
    _, upload = create(app)
    urls = part_urls(app, upload, range(1, len(parts) + 1))
    etags = [put(urls[str(n)], body, {"Content-MD5": content_md5(body)})[1] for n, body in enumerate(parts, 1)]
    return upload, etags


def round_trip(check, backend, side, bucket):
    app, read_back, head = side["app"], side["object"], side["head"]
    parts = [secrets.token_bytes(5 * MiB), secrets.token_bytes(5 * MiB), secrets.token_bytes(MiB + 123)]
    whole = b"".join(parts)
    status, upload = create(app, size=len(whole))
    check(status == 200 and set(upload) == {"key", "uploadId", "bucket", "signature"} and upload["bucket"] == bucket
          and upload["key"].endswith("/clip (1).mp4"), f"{backend}: POST /s3/multipart answers {{key, uploadId, bucket, signature}}")
    urls = part_urls(app, upload, [1, 2, 3])
    check(sorted(urls) == ["1", "2", "3"] and all(url.startswith(f"{side['store']}/{bucket}/") for url in urls.values()),
          f"{backend}: the batch route presigns parts 1-3 on the store ({side['store']})")
    sent = [put(urls[str(n)], body, {"Content-MD5": content_md5(body)}) for n, body in enumerate(parts, 1)]
    etags = [etag for _, etag, _ in sent]
    print(f"     {backend} part PUT 200: ETag header {etags[0]!r}")
    check([status for status, _, _ in sent] == [200] * 3 and etags == [f'"{md5_hex(p)}"' for p in parts],
          f"{backend}: 3 parts PUT with their Content-MD5, each ETag its quoted MD5")
    status, listed = app_json(route(app, upload))
    check(status == 200 and [(p["PartNumber"], p["Size"], p["ETag"]) for p in listed]
          == [(n, len(body), etags[n - 1]) for n, body in enumerate(parts, 1)],
          f"{backend}: GET /s3/multipart/:id lists the 3 parts with their sizes and ETags")
    status, done = complete(app, upload, enumerate(etags, 1))
    key = upload["key"]
    check(status == 200 and done["key"] == key and done["bucket"] == bucket and key in urllib.parse.unquote(done["location"]),
          f"{backend}: complete answers {{location, key, bucket}} (HTTP {status})")
    check(done.get("etag") == multipart_etag(parts) == head(key),
          f"{backend}: complete answers the multipart ETag {done.get('etag')} (MD5 of the part MD5s, -3), as HEAD has it")
    stored = read_back(key)
    check(stored is not None and hashlib.sha256(stored).digest() == hashlib.sha256(whole).digest(),
          f"{backend}: the object reads back with the SHA-256 of the 3 parts ({len(whole)} bytes)")
    form = urllib.parse.urlencode([("s3file", "doc"), ("doc", key), ("doc-s3f-signature", upload["signature"])])
    status, _, reply = request(f"{app}/submit", form.encode(), "application/x-www-form-urlencoded")
    check(status == 201 and f'"{key}"' in reply.decode(), f"{backend}: /submit accepts the key with the returned signature (HTTP {status})")
    status, gone = app_json(route(app, upload))
    check(status == 404, f"{backend}: the completed upload is gone (HTTP {status} {gone.get('code')})")


def refusals(side):
    """Each refused request: (status, S3 code, message, nothing stored)."""
    app, read_back = side["app"], side["object"]
    results = {}
    body = secrets.token_bytes(1000)

    def part_put(name, md5_header):
        _, upload = create(app)
        status, _, reply = put(part_urls(app, upload, [1])["1"], body, {"Content-MD5": md5_header})
        _, listed = app_json(route(app, upload))
        results[name] = (status, xml_value(reply, "Code"), xml_value(reply, "Message"), listed == [])

    part_put("part PUT with a wrong Content-MD5 (another body's)", content_md5(b"another body"))
    part_put("part PUT with a malformed Content-MD5 (not 16 bytes)", "bm90IGFuIG1kNQ==")

    def completion(name, parts, etags):
        upload, stored_etags = upload_parts(app, parts)
        status, reply = complete(app, upload, etags(stored_etags))
        stored = read_back(upload["key"])
        # The fifth: the object, if any, holds the parts in ascending order.
        results[name] = (status, reply.get("code"), reply.get("error"), stored is None, stored == b"".join(parts))

    completion("complete with a wrong ETag", [body], lambda _: [(1, f'"{md5_hex(b"another body")}"')])
    completion(OUT_OF_ORDER, [secrets.token_bytes(5 * MiB), body], lambda e: [(2, e[1]), (1, e[0])])
    completion("complete with a non-last part under 5 MiB", [body, body], lambda e: [(1, e[0]), (2, e[1])])

    upload, etags = upload_parts(app, [body])
    url = part_urls(app, upload, [2])["2"]
    status, aborted = app_json(route(app, upload), "DELETE")
    assert (status, aborted) == (200, {}), (status, aborted)
    status, reply = app_json(route(app, upload))
    results["list after abort (DELETE answered 200 {})"] = (status, reply.get("code"), reply.get("error"), read_back(upload["key"]) is None)
    status, _, reply = put(url, body, {"Content-MD5": content_md5(body)})
    results["part PUT after abort (URL signed before)"] = (status, xml_value(reply, "Code"), xml_value(reply, "Message"), True)
    status, reply = complete(app, upload, enumerate(etags, 1))
    results["complete after abort"] = (status, reply.get("code"), reply.get("error"), read_back(upload["key"]) is None)
    return results


def rgw_complete_reply(check, s3, bucket):
    """RGW's own CompleteMultipartUpload reply, through boto3: recorded and checked, so a change shows."""
    key, part = "boto/multipart-etag.bin", b"one small last part"
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    etag = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=1, Body=part)["ETag"]
    done = s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id,
                                        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    head = s3.head_object(Bucket=bucket, Key=key)["ETag"]
    print(f"     RGW CompleteMultipartUpload: ETag {done.get('ETag')!r}; HEAD: ETag {head!r}")
    check(not done.get("ETag", "").strip('"') and head == multipart_etag([part]),
          "RGW's CompleteMultipartUpload answers an empty <ETag>; HEAD has the multipart ETag (the route HEADs for it)")
    try:
        s3.list_parts(Bucket=bucket, Key=key, UploadId=upload_id)
        listed = (200, None)
    except ClientError as error:
        listed = (error.response["ResponseMetadata"]["HTTPStatusCode"], error.response["Error"]["Code"])
    check(listed == (404, "NoSuchKey"), f"RGW's ListParts of a completed upload: {listed[0]} {listed[1]} (S3 says NoSuchUpload)")


def multipart_checks(check, s3, bucket, backends):
    """backends: {"rgw"/"emulator": {app, store, object(key) -> bytes or None}}."""
    quote = lambda key: urllib.parse.quote(key, safe="/")  # noqa: E731
    backends["rgw"]["head"] = lambda key: s3.head_object(Bucket=bucket, Key=key)["ETag"]
    emulator = backends["emulator"]
    emulator["head"] = lambda key: request(f"{emulator['store']}/{bucket}/{quote(key)}", method="HEAD")[1].get("ETag")
    rgw_complete_reply(check, s3, bucket)
    for backend, side in backends.items():
        round_trip(check, backend, side, bucket)
    rgw, emu = refusals(backends["rgw"]), refusals(backends["emulator"])
    print("\n| multipart request | RGW 16.2.15 | emulator | same |\n| --- | --- | --- | --- |")
    for name in rgw:
        r, e = rgw[name], emu[name]
        same = "yes" if r[:2] == e[:2] else "no"
        print(f"| {name} | {r[0]} {r[1]} ({r[2]!r}) | {e[0]} {e[1]} ({e[2]!r}) | {same} |")
    print()
    short = lambda name: name.split(" (")[0]  # noqa: E731
    for name in rgw:
        for backend, result in (("RGW", rgw[name]), ("the emulator", emu[name])):
            if (backend, name) != ("RGW", OUT_OF_ORDER):
                check(400 <= result[0] < 500 and result[3], f"{backend} refuses {short(name)}, nothing stored (HTTP {result[0]} {result[1]})")
    # Where RGW answers like AWS S3, the emulator must answer the same.
    for name, want in (("part PUT with a wrong Content-MD5 (another body's)", (400, "BadDigest")),
                       ("part PUT with a malformed Content-MD5 (not 16 bytes)", (400, "InvalidDigest")),
                       ("complete with a wrong ETag", (400, "InvalidPart")),
                       ("complete with a non-last part under 5 MiB", (400, "EntityTooSmall")),
                       ("part PUT after abort (URL signed before)", (404, "NoSuchUpload"))):
        check(rgw[name][:2] == emu[name][:2] == want, f"{short(name)}: {want[0]} {want[1]} from both")
    # RGW's known differences (docs/rgw.md), checked so a change shows: it sorts the parts of a
    # Complete itself (S3 and the emulator: InvalidPartOrder), and answers ListParts and Complete
    # of an upload that is gone with NoSuchKey (S3 and the emulator: NoSuchUpload; both 404).
    check(rgw[OUT_OF_ORDER][0] == 200 and rgw[OUT_OF_ORDER][4] and emu[OUT_OF_ORDER][:2] == (400, "InvalidPartOrder"),
          "complete with parts out of order: RGW stores them in ascending order, the emulator answers 400 InvalidPartOrder as S3")
    for name in ("list after abort (DELETE answered 200 {})", "complete after abort"):
        check(rgw[name][:2] == (404, "NoSuchKey") and emu[name][:2] == (404, "NoSuchUpload"),
              f"{short(name)}: RGW answers 404 NoSuchKey, the emulator 404 NoSuchUpload as S3")
