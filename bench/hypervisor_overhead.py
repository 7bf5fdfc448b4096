#!/usr/bin/env python3
"""Hypervisor overhead: what the control plane adds on top of the hypervisor itself.

Against a running `./virga up` that has a qemu node and a runc node and the project's guest images
registered (virga up does both where qemu and runc are installed), in the same run:

  qemu: API POST /v1/instances -> the guest's ready line (VIRGA-READY, read through the console-log API)
        vs a bare `qemu-system-x86_64` boot of the same kernel, initramfs and disk to the same line
        (bench/qemu_bare_boot.sh), under the accelerator the qemu host reports (its COMPUTE_QEMU_KVM /
        COMPUTE_QEMU_TCG trait: a host whose /dev/kvm does not really run guests uses TCG, and so must
        the baseline);
  runc: API POST /v1/instances -> ACTIVE (the container runs)
        vs a bare `runc run -d` of a bundle of the same shape (bench/runc_bare_start.sh).

The two VM boots of a run start at the same moment (--sequential: one after the other): on a machine
whose load comes and goes (other builds), guests booted a minute apart got anything from a third to all
of a core, and the ratio measured that, not the control plane. Booted together, both see the same load,
including each other (two identical TCG guests on two cores). Container starts (well under a second) run
one after the other. Runs are interleaved (bare, API, bare, API, ...); medians are compared.

The ready line is looked for at the same cadence on both sides (--poll, 0.25 s): the bare side greps
the serial log, the API side reads the console log through the API once the instance is ACTIVE
(and its status only every 8th look). Both therefore notice the line up to one interval late, alike, and
the watching itself does not compete with the guest for CPU more on one side than on the other: looking
through the API every 50 ms (two requests through gateway, compute node and PostgreSQL, ~8 ms of CPU
each look) took ~17% of a core from a TCG guest on a 2-core machine, which is the benchmark's own load,
not the control plane's overhead. The last line is machine-readable:

    qemu_ratio=1.07 runc_ratio=1.40 qemu_boot_s=9.1 qemu_bare_s=8.5 runc_start_s=0.42 runc_bare_s=0.30

    bench/hypervisor_overhead.py [--runs 3] [--url http://127.0.0.1:8080] [--images DIR] [--poll 0.25]
                                 [--sequential] [--token FILE]

Only the Python standard library; talks to the given URL (loopback by default) and starts local
processes only.
"""
import argparse, base64, concurrent.futures, json, os, statistics, subprocess, sys, time, urllib.request, urllib.error, uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def call(url, token, method, path, body=None, raw=False):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url + path, data=data, method=method)
    req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            payload = r.read()
            if raw:
                return r.status, payload.decode(errors="replace")
            return r.status, (json.loads(payload) if payload else None)
    except urllib.error.HTTPError as e:
        payload = e.read()
        return e.code, (payload.decode(errors="replace") if raw else json.loads(payload or b"null"))


def must(result, *ok):
    status, body = result
    if status not in ok:
        sys.exit(f"unexpected {status}: {body}")
    return body


def wait(what, check, timeout=600, every=0.1):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(every)
    sys.exit(f"timed out after {timeout}s waiting for {what}")


def image_id(url, token, name):
    items = must(call(url, token, "GET", "/v1/images?limit=1000"), 200)["items"]
    for i in items:
        if i["name"] == name and i["status"] == "ACTIVE":
            return i["id"]
    sys.exit(f"no ACTIVE image {name}: run ./virga up on a machine with qemu and runc (it registers them)")


def setup(url, admin):
    tag = uuid.uuid4().hex[:6]
    must(call(url, admin, "POST", "/v1/flavors", {"name": f"bench.vm.{tag}", "vcpus": 1, "ram_mb": 192,
                                                   "disk_gb": 1, "kind": "vm", "virt_mode": "para"}), 201)
    must(call(url, admin, "POST", "/v1/flavors", {"name": f"bench.ct.{tag}", "vcpus": 1, "ram_mb": 128,
                                                   "disk_gb": 1, "kind": "container"}), 201)
    net = must(call(url, admin, "POST", "/v1/networks", {"name": f"bench-{tag}", "shared": True}), 201)["id"]
    must(call(url, admin, "POST", f"/v1/networks/{net}/subnets", {"name": "v4", "cidr": "10.99.0.0/24"}), 201)
    project = must(call(url, admin, "POST", "/v1/projects", {"name": f"bench-{tag}"}), 201)["id"]
    must(call(url, admin, "PUT", f"/v1/projects/{project}/quotas",
              {"instances": 100, "vcpus": 100, "ram_mb": 100000}), 200)
    member = must(call(url, admin, "POST", f"/v1/projects/{project}/tokens", {"role": "member"}), 201)["token"]
    return tag, net, member


def api_vm_boot(url, token, tag, net, image, poll):
    t0 = time.monotonic()
    iid = must(call(url, token, "POST", "/v1/instances", {
        "name": f"bench-vm-{uuid.uuid4().hex[:6]}", "flavor": f"bench.vm.{tag}", "image": image,
        "networks": [{"network": net}]}), 202)["id"]

    def status():
        s, body = call(url, token, "GET", f"/v1/instances/{iid}")
        if s == 200 and body["status"] == "ERROR":
            sys.exit(f"{iid} failed: {body.get('fault')}")
        return body["status"] if s == 200 else None

    # while it builds (well under a second) the instance is cheap to watch; the guest boots after that
    wait(f"{iid} ACTIVE", lambda: status() == "ACTIVE", every=0.05)
    checks = [0]

    def ready():
        checks[0] += 1
        if checks[0] % 8 == 0:
            status()
        code, log = call(url, token, "GET", f"/v1/instances/{iid}/console-log", raw=True)
        return code == 200 and "VIRGA-READY" in log

    wait(f"{iid} ready", ready, every=poll)
    seconds = time.monotonic() - t0
    delete(url, token, iid)
    return seconds


def api_container_start(url, token, tag, net, image):
    t0 = time.monotonic()
    iid = must(call(url, token, "POST", "/v1/instances", {
        "name": f"bench-ct-{uuid.uuid4().hex[:6]}", "flavor": f"bench.ct.{tag}", "image": image,
        "networks": [{"network": net}]}), 202)["id"]

    def active():
        s, body = call(url, token, "GET", f"/v1/instances/{iid}")
        if s == 200 and body["status"] == "ERROR":
            sys.exit(f"{iid} failed: {body.get('fault')}")
        return s == 200 and body["status"] == "ACTIVE"

    wait(f"{iid} ACTIVE", active, every=0.02)
    seconds = time.monotonic() - t0
    delete(url, token, iid)
    return seconds


def delete(url, token, iid):
    must(call(url, token, "DELETE", f"/v1/instances/{iid}"), 202)
    wait(f"{iid} DELETED", lambda: call(url, token, "GET", f"/v1/instances/{iid}")[1]["status"] == "DELETED")


def qemu_accel(url, admin):
    """The accelerator the cloud's qemu host uses (its COMPUTE_QEMU_KVM / _TCG trait), for the bare boot."""
    hosts = must(call(url, admin, "GET", "/v1/hosts?limit=1000"), 200)
    for h in hosts.get("items", hosts if isinstance(hosts, list) else []):
        traits = h.get("traits", [])
        if "COMPUTE_QEMU_KVM" in traits:
            return "kvm"
        if "COMPUTE_QEMU_TCG" in traits:
            return "tcg"
    sys.exit("no qemu host reports COMPUTE_QEMU_KVM or COMPUTE_QEMU_TCG: is a qemu node up?")


def bare(script, *args, env=None):
    out = subprocess.run(["bash", str(ROOT / "bench" / script), *args], capture_output=True, text=True,
                         env=None if env is None else {**os.environ, **env})
    if out.returncode != 0:
        sys.exit(f"{script} failed: {out.stderr[-2000:]}")
    last = out.stdout.strip().splitlines()[-1]
    return float(last.split("=", 1)[1])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--url", default="http://127.0.0.1:8080")
    ap.add_argument("--token", default=str(ROOT / ".virga" / "admin-token"))
    ap.add_argument("--images", help="guest image dir (default: scripts/guest-image/build.sh's)")
    ap.add_argument("--sequential", action="store_true",
                    help="boot the bare and the API guest one after the other (default: at the same time)")
    ap.add_argument("--poll", type=float, default=0.25,
                    help="seconds between looks for the ready line, the same on both sides (default 0.25)")
    a = ap.parse_args()
    admin = Path(a.token).read_text().strip()
    images = a.images or subprocess.run(["bash", str(ROOT / "scripts/guest-image/build.sh")], capture_output=True,
                                        text=True, check=True).stdout.strip().splitlines()[-1]
    vm_image = image_id(a.url, admin, "virga-busybox")
    ct_image = image_id(a.url, admin, "virga-busybox-ct")
    accel = qemu_accel(a.url, admin)
    print(f"qemu host accelerator: {accel} (the bare boot uses the same)", flush=True)
    tag, net, member = setup(a.url, admin)

    qemu_api, qemu_bare, runc_api, runc_bare = [], [], [], []
    for run in range(a.runs):
        boot_bare = lambda: bare("qemu_bare_boot.sh", images, "1",
                                 env={"VIRGA_BENCH_ACCEL": accel, "VIRGA_BENCH_POLL": str(a.poll)})
        boot_api = lambda: api_vm_boot(a.url, member, tag, net, vm_image, a.poll)
        if a.sequential:
            qemu_bare.append(boot_bare())
            qemu_api.append(boot_api())
        else:
            with concurrent.futures.ThreadPoolExecutor(2) as pool:
                b, p = pool.submit(boot_bare), pool.submit(boot_api)
                qemu_bare.append(b.result())
                qemu_api.append(p.result())
        runc_bare.append(bare("runc_bare_start.sh", "", "1"))
        runc_api.append(api_container_start(a.url, member, tag, net, ct_image))
        print(f"run {run + 1}: qemu bare {qemu_bare[-1]:.2f}s api {qemu_api[-1]:.2f}s | "
              f"runc bare {runc_bare[-1]:.3f}s api {runc_api[-1]:.3f}s", flush=True)

    q, qb = statistics.median(qemu_api), statistics.median(qemu_bare)
    r, rb = statistics.median(runc_api), statistics.median(runc_bare)
    print(f"qemu_ratio={q / qb:.2f} runc_ratio={r / rb:.2f} qemu_boot_s={q:.2f} qemu_bare_s={qb:.2f} "
          f"runc_start_s={r:.3f} runc_bare_s={rb:.3f}")


if __name__ == "__main__":
    main()
