"""How long the native host takes to answer, whole process, without a
browser: `tobira` started as Chromium starts it (the extension's origin as
its argument), a `hello`, then RUNS `page-seen` requests framed as Chromium
frames them (a login page, the portal, a space, a maintenance page in turn),
each timed from the frame written to the reply read.

    python3 tests/bench/host_replies.py RUNS NEW [BASELINE]

With BASELINE (another build of `tobira`), both are measured in the same
run, alternating, and the ratio is printed. The user is a temporary HOME
with example.cybozu.com as their site; guides from ./guides.
"""

import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import time

ORIGIN = "chrome-extension://oahocbennicjjojijiacaffmefdajcae/"
PAGES = [
    ("/login", []),
    ("/k/", []),
    ("/k/#/space/1", []),
    ("/k/12/", ["不正なリクエストです。"]),
]


def replies(binary: str, home: str, runs: int) -> list[float]:
    env = dict(
        os.environ,
        HOME=home,
        TOBIRA_CONFIG_DIR=home,
        TOBIRA_POLICY=os.path.join(home, "policy.toml"),
        TOBIRA_GUIDES_DIR=os.path.abspath("guides"),
        LANG="en_US.UTF-8",
    )
    host = subprocess.Popen(
        [binary, ORIGIN], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
    )

    def ask(message: dict) -> dict:
        data = json.dumps(message).encode()
        host.stdin.write(struct.pack("=I", len(data)) + data)
        host.stdin.flush()
        (size,) = struct.unpack("=I", host.stdout.read(4))
        return json.loads(host.stdout.read(size))

    ask({"type": "hello"})
    times = []
    for run in range(runs):
        path, found = PAGES[run % len(PAGES)]
        request = {
            "type": "page-seen",
            "host": "example.cybozu.com",
            "path": path,
            "fragment": "",
            "found": found,
            "text_length": 200,
        }
        start = time.perf_counter()
        reply = ask(request)
        times.append((time.perf_counter() - start) * 1000)
        if reply.get("type") != "page-seen":
            sys.exit(f"{binary}: {reply}")
    host.stdin.close()
    host.wait()
    return times


def summary(name: str, times: list[float]) -> float:
    times = sorted(times)
    median = statistics.median(times)
    p95 = times[min(len(times) - 1, len(times) * 95 // 100)]
    print(f"{name:<9} median {median:6.2f} ms   p95 {p95:6.2f} ms   ({len(times)} replies)")
    return median


def main() -> None:
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    runs, builds = int(sys.argv[1]), sys.argv[2:]
    with tempfile.TemporaryDirectory() as home:
        with open(os.path.join(home, "settings.toml"), "w") as settings:
            settings.write('site = "example.cybozu.com"\n')
        measured = {build: [] for build in builds}
        # Alternating rounds, so that whatever else the machine does falls on both.
        for _ in range(4):
            for build in builds:
                measured[build] += replies(build, home, runs // 4)
    print("page-seen, request written to reply read:")
    new = summary("new", measured[builds[0]])
    if len(builds) == 2:
        baseline = summary("baseline", measured[builds[1]])
        print(f"new / baseline: {new / baseline:.2f}x")


if __name__ == "__main__":
    main()
