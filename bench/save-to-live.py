#!/usr/bin/env python3
"""Save-to-live: from saving a transform to the first request served by its new version.

Starts the built gateway (transform hosts, the default) on a free port with one global transform, mark.csx, that
sets a header to its version; saves new versions the way editors do, and polls the gateway over one keep-alive
connection until the header shows the new version. Run once per debounce. Also counts, per save, the rebuilds the
gateway logged and every response whose version was neither the old nor the new one (a half-written file swapped
in, or a request that met a version the transform hosts had already unloaded: "the release race", counted apart
from the gateway's log). A debounce is safe when it adds no glitch of its own and one save is one rebuild.

  python3 bench/save-to-live.py                         # debounces 150,50,20,5,0 ms; 12 saves per pattern
  DEBOUNCES=150,20 SAVES=20 GAP_MS=5 python3 bench/save-to-live.py
Needs `dotnet build` first (it runs Gateway/bin/<CONFIGURATION:-Debug>/net10.0/Gateway.dll).
"""
import http.client, os, shutil, socket, statistics, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIGURATION = os.environ.get("CONFIGURATION", "Debug")
DLL = os.path.join(ROOT, "Gateway", "bin", CONFIGURATION, "net10.0", "Gateway.dll")
DEBOUNCES = [int(d) for d in os.environ.get("DEBOUNCES", "150,50,20,5,0").split(",")]
SAVES = int(os.environ.get("SAVES", "12"))
# Time between an editor's steps (truncate/write, write/rename...): 0 is as fast as Python goes.
GAP = float(os.environ.get("GAP_MS", "0")) / 1000


def mark(version):
    # A little weight, so that a half-written file is a real possibility: several writes per save.
    return "// " + "padding " * 400 + f"\nHeaders[\"x-mark\"] = \"{version}\";\n"


def in_place(path, source):
    """VS Code, nano, most IDEs: truncate and write the same inode."""
    with open(path, "w") as f:
        half = len(source) // 2
        f.write(source[:half]); f.flush(); time.sleep(GAP)
        f.write(source[half:])


def temp_then_rename(path, source):
    """JetBrains' safe write, Emacs, many tools: write a temporary file, rename it over the original."""
    temp = os.path.join(os.path.dirname(path), ".mark.csx.tmp")
    with open(temp, "w") as f:
        f.write(source)
    time.sleep(GAP)
    os.replace(temp, path)


def vim_backup(path, source):
    """vim's default (writebackup, backupcopy=auto): probe file 4913, rename to mark.csx~, write anew, remove the backup."""
    folder = os.path.dirname(path)
    probe = os.path.join(folder, "4913")
    open(probe, "w").close(); os.remove(probe)
    os.rename(path, path + "~"); time.sleep(GAP)
    with open(path, "w") as f:
        f.write(source)
    time.sleep(GAP)
    os.remove(path + "~")


PATTERNS = [("write in place", in_place), ("temp then rename", temp_then_rename), ("vim backup-rename", vim_backup)]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(debounce_ms):
    folder = tempfile.mkdtemp(prefix="save-to-live-")
    transforms = os.path.join(folder, "Transforms")
    os.makedirs(transforms)
    for name in os.listdir(os.path.join(ROOT, "Transforms")):
        if name.endswith(".csx"):
            shutil.copy(os.path.join(ROOT, "Transforms", name), transforms)
    path = os.path.join(transforms, "mark.csx")
    with open(path, "w") as f:
        f.write(mark("v0"))
    port = free_port()
    env = dict(os.environ,
               Urls=f"http://127.0.0.1:{port}",
               Gateway__Management__Urls="",
               Gateway__DemoUpstream__Enabled="false",
               Gateway__Transforms__Path=transforms,
               Gateway__Transforms__Global__Transforms__0="mark.csx",
               Gateway__Transforms__Reload__Debounce=f"00:00:00.{debounce_ms:03d}",
               # A loaded machine must not make a run breach the 20 ms budget: that would look like a glitch.
               Gateway__Transforms__Budget__WallTime="00:00:02")
    gateway = subprocess.Popen(["dotnet", DLL], cwd=os.path.join(ROOT, "Gateway"), env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log = []
    threading.Thread(target=lambda: [log.append(line) for line in gateway.stdout], daemon=True).start()
    try:
        deadline = time.time() + 60
        conn = None
        while time.time() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/nothing"); r = conn.getresponse(); r.read()
                if r.getheader("x-mark") == "v0":
                    break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("the gateway did not start:\n" + "".join(log[-20:]))
        results = {}
        version = 0
        # Two saves first: the first recompiles in a process are slower (JIT), and would land on the first pattern.
        for _ in range(2):
            version += 1
            in_place(path, mark(f"v{version}"))
            while True:
                conn.request("GET", "/nothing"); r = conn.getresponse(); r.read()
                if r.getheader("x-mark") == f"v{version}":
                    break
            time.sleep(0.5)
        for name, save in PATTERNS:
            times, glitches, rebuilds, races, odd = [], 0, 0, 0, set()
            for _ in range(SAVES):
                old, version = f"v{version}", version + 1
                new = f"v{version}"
                before = sum("Transforms reloaded" in l or "refused" in l for l in log)
                unloaded_before = sum("has been unloaded" in l for l in log)
                start = time.perf_counter()
                save(path, mark(new))
                while True:
                    conn.request("GET", "/nothing"); r = conn.getresponse(); r.read()
                    seen = r.getheader("x-mark")
                    if seen == new:
                        break
                    if seen != old:
                        glitches += 1
                        odd.add(seen)
                    if time.perf_counter() - start > 10:
                        sys.exit(f"{new} not served within 10 s ({name}, debounce {debounce_ms} ms)")
                times.append((time.perf_counter() - start) * 1000)
                time.sleep(max(0.3, debounce_ms / 1000 * 2))  # let stray events of this save settle
                rebuilds += sum("Transforms reloaded" in l or "refused" in l for l in log) - before
                races += sum("has been unloaded" in l for l in log) - unloaded_before
            rebuilt = [float(l.split("rebuilt in ")[1].split(" ms")[0]) for l in log if "rebuilt in " in l]
            results[name] = (times, glitches, rebuilds, rebuilt[-SAVES:], odd, races)
        if os.environ.get("SHOW_WARNINGS"):
            print("".join(l for l in log if " WRN]" in l or " ERR]" in l), file=sys.stderr)
        return results
    finally:
        gateway.terminate()
        try:
            gateway.wait(15)
        except subprocess.TimeoutExpired:
            gateway.kill()
        shutil.rmtree(folder, ignore_errors=True)


def main():
    print(f"| debounce | save pattern | save to live, median ms | p90 ms | max ms | rebuild (compile + swap), median ms | rebuilds per save | glitches | of which the release race |")
    print(f"|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for debounce in DEBOUNCES:
        for name, (times, glitches, rebuilds, rebuilt, odd, races) in run(debounce).items():
            times.sort()
            p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
            print(f"| {debounce} ms | {name} | {statistics.median(times):.0f} | {p90:.0f} | {times[-1]:.0f} | "
                  f"{statistics.median(rebuilt) if rebuilt else float('nan'):.0f} | {rebuilds / len(times):.1f} | {glitches} | {races} |"
                  + (f" <!-- served meanwhile: {sorted(map(str, odd))} -->" if odd else ""), flush=True)


if __name__ == "__main__":
    main()
