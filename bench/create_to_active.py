#!/usr/bin/env python3
"""Create->ACTIVE benchmark against a running Virga (`./virga up`).

Creates N instances (C at a time) through the public API in a fresh project,
polls each until it leaves BUILDING, prints the latency distribution and the
operation's own step timings, then deletes them and times DELETE->DELETED.

    bench/create_to_active.py [--count 20] [--concurrency 4] [--url http://127.0.0.1:8080]

Only the Python standard library; talks to the given URL only (loopback by default).
"""
import argparse, json, statistics, sys, time, urllib.request, urllib.error, uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def call(url, token, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url + path, data=data, method=method)
    req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw else None), r.headers
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null"), e.headers


def must(status_body, *ok):
    status, body, _ = status_body
    if status not in ok:
        sys.exit(f"unexpected {status}: {body}")
    return body


def await_status(url, token, iid, done, timeout=120):
    t_end = time.monotonic() + timeout
    while time.monotonic() < t_end:
        _, body, _ = call(url, token, "GET", f"/v1/instances/{iid}")
        if body and done(body.get("status")):
            return body
        time.sleep(0.05)
    sys.exit(f"{iid} did not finish in {timeout}s")


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8080")
    ap.add_argument("--token-file", default=str(Path(__file__).resolve().parent.parent / ".virga" / "admin-token"))
    ap.add_argument("--count", type=int, default=20)
    ap.add_argument("--concurrency", type=int, default=4)
    a = ap.parse_args()
    admin = Path(a.token_file).read_text().strip()
    tag = uuid.uuid4().hex[:6]

    # setup: a project with enough quota, a flavor, a shared network, a public image
    project = must(call(a.url, admin, "POST", "/v1/projects", {"name": f"bench-{tag}"}), 201)["id"]
    must(call(a.url, admin, "PUT", f"/v1/projects/{project}/quotas",
              {"instances": a.count, "vcpus": a.count, "ram_mb": a.count * 128}), 200)
    member = must(call(a.url, admin, "POST", f"/v1/projects/{project}/tokens", {"role": "member"}), 201)["token"]
    must(call(a.url, admin, "POST", "/v1/flavors", {"name": f"bench-{tag}", "vcpus": 1, "ram_mb": 128, "disk_gb": 1}), 201)
    net = must(call(a.url, admin, "POST", "/v1/networks", {"name": f"bench-{tag}", "shared": True}), 201)["id"]
    must(call(a.url, admin, "POST", f"/v1/networks/{net}/subnets", {"name": f"bench-{tag}", "cidr": "10.99.0.0/16"}), 201)
    img = must(call(a.url, admin, "POST", "/v1/images", {"name": f"bench-{tag}", "disk_format": "raw", "visibility": "public"}), 201)["id"]
    req = urllib.request.Request(f"{a.url}/v1/images/{img}/data", data=b"\0" * 4096, method="PUT")
    req.add_header("Authorization", "Bearer " + admin)
    req.add_header("Content-Type", "application/octet-stream")
    urllib.request.urlopen(req, timeout=30).read()

    def one(i):
        t0 = time.monotonic()
        body = must(call(a.url, member, "POST", "/v1/instances", {
            "name": f"bench-{tag}-{i}", "flavor": f"bench-{tag}", "image": img,
            "networks": [{"network": net}]}), 202)
        accepted = time.monotonic() - t0
        final = await_status(a.url, member, body["id"], lambda s: s != "BUILDING")
        return body["id"], final["status"], accepted, time.monotonic() - t0

    t_all = time.monotonic()
    with ThreadPoolExecutor(a.concurrency) as pool:
        results = list(pool.map(one, range(a.count)))
    wall = time.monotonic() - t_all
    bad = [r for r in results if r[1] != "ACTIVE"]
    lat = [r[3] for r in results]
    acc = [r[2] for r in results]
    print(f"create->ACTIVE  n={a.count} concurrency={a.concurrency}  "
          f"p50={statistics.median(lat):.3f}s p95={pct(lat, 95):.3f}s max={max(lat):.3f}s  "
          f"POST p50={statistics.median(acc) * 1000:.0f}ms  throughput={a.count / wall:.1f}/s  not-active={len(bad)}")

    def gone(iid):
        t0 = time.monotonic()
        must(call(a.url, member, "DELETE", f"/v1/instances/{iid}"), 202)
        await_status(a.url, member, iid, lambda s: s == "DELETED")
        return time.monotonic() - t0

    with ThreadPoolExecutor(a.concurrency) as pool:
        dl = list(pool.map(gone, [r[0] for r in results]))
    print(f"delete->DELETED n={len(dl)} p50={statistics.median(dl):.3f}s p95={pct(dl, 95):.3f}s max={max(dl):.3f}s")
    usage = must(call(a.url, member, "GET", "/v1/usage"), 200)["usage"]
    print(f"usage after delete: {usage}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
