"""Times app start -> first screen ready, and the peak memory of its process
tree, for a baseline app and Tobira's window, alternating runs so that both
see the same machine state; then times a verb of Tobira's console program
against the same baseline. Called by tests/bench/startup."""

import os
import statistics
import subprocess
import sys
import threading
import time

POLL_SECONDS = 0.01
TIMEOUT_SECONDS = 60
MEMORY_WINDOW = 2.5
MEMORY_RUNS = 5


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


def launch(binary, display, lang, exit_when_ready):
    env = dict(os.environ, DISPLAY=display, LANG=lang)
    if exit_when_ready:
        env["TOBIRA_EXIT_WHEN_READY"] = "1"
    return subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def time_to_ready(binary, display, lang):
    """Milliseconds from process start until the app exits on its ready signal."""
    start = time.perf_counter()
    proc = launch(binary, display, lang, exit_when_ready=True)
    # A blocking wait with a watchdog: Popen.wait(timeout=…) polls with sleeps
    # of up to 50 ms, which would round every measurement to that step.
    watchdog = threading.Timer(TIMEOUT_SECONDS, proc.kill)
    watchdog.start()
    code = proc.wait()
    elapsed = (time.perf_counter() - start) * 1000
    if not watchdog.is_alive():
        sys.exit(f"{binary} did not report ready within {TIMEOUT_SECONDS} s")
    watchdog.cancel()
    if code != 0:
        sys.exit(f"{binary} exited with {code}")
    return elapsed


def peak_memory(binary, display, lang):
    """Peak PSS (MiB) of the whole process tree over its first MEMORY_WINDOW
    seconds: start-up and the first screen, settled."""
    proc = launch(binary, display, lang, exit_when_ready=False)
    peak, deadline = 0, time.perf_counter() + MEMORY_WINDOW
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            sys.exit(f"{binary} exited early with {proc.returncode}")
        peak = max(peak, sum(pss_kib(p) for p in tree_of(proc.pid)))
        time.sleep(POLL_SECONDS)
    proc.terminate()
    proc.wait(timeout=TIMEOUT_SECONDS)
    return peak / 1024


def run_verb(binary, args):
    """Milliseconds and peak resident memory (MiB) of one run of a console verb."""
    start = time.perf_counter()
    proc = subprocess.Popen([binary, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = (time.perf_counter() - start) * 1000
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"{binary} {' '.join(args)} exited with {proc.returncode}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


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
    # name: (binary, LANG). Tobira follows the OS language; laying out
    # Japanese text costs time a Latin-only page never spends, so it is
    # measured as a row of its own against the same baseline.
    apps = {
        "bare Tauri app": (sys.argv[2], "en_US.UTF-8"),
        "Tobira, English": (sys.argv[3], "en_US.UTF-8"),
        "Tobira, Japanese": (sys.argv[3], "ja_JP.UTF-8"),
    }
    console = sys.argv[4]
    verb = ["site", "example", "--json"]
    xvfb, display = start_xvfb()
    try:
        for binary, lang in apps.values():  # warm the page cache for each
            time_to_ready(binary, display, lang)
        times = {name: [] for name in apps}
        memory = {name: [] for name in apps}
        for _ in range(runs):
            for name, (binary, lang) in apps.items():
                times[name].append(time_to_ready(binary, display, lang))
        for _ in range(MEMORY_RUNS):
            for name, (binary, lang) in apps.items():
                memory[name].append(peak_memory(binary, display, lang))
    finally:
        xvfb.kill()
    run_verb(console, verb)  # warm the page cache
    verb_runs = [run_verb(console, verb) for _ in range(runs)]

    print(f"\nstart -> first screen: median of {runs} runs (min-max); "
          f"peak memory (PSS of the process tree): median of {MEMORY_RUNS} runs")
    medians = {}
    for name in apps:
        medians[name] = (statistics.median(times[name]), statistics.median(memory[name]))
        size = os.path.getsize(apps[name][0]) / (1024 * 1024)
        print(
            f"  {name:17} {medians[name][0]:5.0f} ms ({min(times[name]):.0f}-{max(times[name]):.0f})"
            f"   {medians[name][1]:6.1f} MiB ({min(memory[name]):.1f}-{max(memory[name]):.1f})"
            f"   binary {size:5.1f} MiB"
        )
    size_ratio = os.path.getsize(sys.argv[3]) / os.path.getsize(sys.argv[2])
    base = medians["bare Tauri app"]
    verdicts = []
    for language in ("English", "Japanese"):
        ours = medians[f"Tobira, {language}"]
        startup, memory_ratio = ours[0] / base[0], ours[1] / base[1]
        verdicts += [startup <= 1.10, memory_ratio <= 1.15]
        print(f"  ratio Tobira, {language} / bare: startup {startup:.2f}x (target <= 1.10x), "
              f"memory {memory_ratio:.2f}x (target <= 1.15x)")
    verdicts.append(size_ratio <= 2.0)
    print(f"  ratio window binary / bare binary: {size_ratio:.2f}x (target <= 2.0x)")
    verb_ms = statistics.median(t for t, _ in verb_runs)
    verb_peak = max(m for _, m in verb_runs)
    share = verb_ms / base[0]
    verdicts += [share <= 0.03, verb_peak <= 20]
    print(f"  console `tobira {' '.join(verb)}`: median {verb_ms:.1f} ms of {runs} runs = "
          f"{share * 100:.1f} % of the bare app's start (target <= 3 %), "
          f"peak {verb_peak:.1f} MiB (target <= 20 MiB), binary "
          f"{os.path.getsize(console) / (1024 * 1024):.1f} MiB")
    print("  all targets met" if all(verdicts) else "  SOME TARGETS MISSED")


if __name__ == "__main__":
    main()
