"""Times app start -> first screen ready, and the peak memory of its process
tree, for a baseline app and Tobira, alternating runs so that both see the
same machine state. Called by tests/bench/startup."""

import os
import statistics
import subprocess
import sys
import time

POLL_SECONDS = 0.005
TIMEOUT_SECONDS = 60


def children_of(pid):
    """Direct children, from /proc/PID/task/*/children."""
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found.extend(int(c) for c in f.read().split())
    except OSError:
        pass
    return found


def tree_of(pid):
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo.extend(children_of(current))
    return pids


def pss_kib(pid):
    """Proportional set size: shared pages are split between the processes
    that map them, so the sum over a tree counts each page once."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_once(binary, display, lang):
    env = dict(os.environ, TOBIRA_EXIT_WHEN_READY="1", DISPLAY=display, LANG=lang)
    start = time.perf_counter()
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, sum(pss_kib(p) for p in tree_of(proc.pid)))
        if time.perf_counter() - start > TIMEOUT_SECONDS:
            proc.kill()
            sys.exit(f"{binary} did not report ready within {TIMEOUT_SECONDS} s")
        time.sleep(POLL_SECONDS)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{binary} exited with {proc.returncode}")
    return elapsed * 1000, peak / 1024


def start_xvfb():
    """-noreset: by default Xvfb resets when its last client leaves, and an
    app starting during that reset fails to initialise GTK."""
    read, write = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp", "-noreset"],
        pass_fds=[write],
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as f:
        return xvfb, ":" + f.readline().strip()


def main():
    runs = int(sys.argv[1])
    # name: (binary, LANG). Tobira in Japanese also loads a CJK font, which
    # the bare app never does; it is measured separately so that cost shows.
    apps = {
        "bare Tauri app": (sys.argv[2], "en_US.UTF-8"),
        "Tobira": (sys.argv[3], "en_US.UTF-8"),
        "Tobira Japanese": (sys.argv[3], "ja_JP.UTF-8"),
    }
    xvfb, display = start_xvfb()
    try:
        for binary, lang in apps.values():  # warm the page cache for each
            run_once(binary, display, lang)
        results = {name: [] for name in apps}
        for _ in range(runs):
            for name, (binary, lang) in apps.items():
                results[name].append(run_once(binary, display, lang))
    finally:
        xvfb.kill()

    print(f"\nstartup to first screen, {runs} runs each (median; min-max)")
    medians = {}
    for name, samples in results.items():
        times = [t for t, _ in samples]
        memory = [m for _, m in samples]
        medians[name] = (statistics.median(times), statistics.median(memory))
        size = os.path.getsize(apps[name][0]) / (1024 * 1024)
        print(
            f"  {name:15} {medians[name][0]:7.0f} ms ({min(times):.0f}-{max(times):.0f})"
            f"   peak PSS {medians[name][1]:6.1f} MiB ({min(memory):.1f}-{max(memory):.1f})"
            f"   binary {size:5.1f} MiB"
        )
    base = medians["bare Tauri app"]
    size_ratio = os.path.getsize(apps["Tobira"][0]) / os.path.getsize(apps["bare Tauri app"][0])
    for name in ("Tobira", "Tobira Japanese"):
        ours = medians[name]
        print(f"  ratio {name} / bare: startup {ours[0] / base[0]:.2f}x (target <= 1.15x), "
              f"memory {ours[1] / base[1]:.2f}x (target <= 1.20x), binary {size_ratio:.2f}x")


if __name__ == "__main__":
    main()
