#!/usr/bin/env python3
"""Where a process's busy threads spend their time, from a dotnet-trace sampled-thread-time trace converted to
speedscope (dotnet-trace convert --format speedscope).

dotnet-trace samples every managed thread about every 10 ms, running or waiting; a thread waiting for work (a thread
pool worker parked on its semaphore, a socket event loop in epoll, a timer thread asleep) shows as a stack ending in a
wait. Shares of all samples therefore mostly measure waiting. This report keeps only the busy samples (the innermost frame is
not a wait, whatever the runtime's CPU_TIME / UNMANAGED_CODE_TIME marker says) and gives each frame's share of them: exclusive (the frame under
the leaf) and inclusive (the frame anywhere on the stack), the way a CPU profiler would.

Usage: profile_top.py FILE.speedscope.json [TOP]   (TOP: how many frames in each list, default 25)
"""
import collections
import json
import re
import sys

WAITING = re.compile(
    r"Wait|Sleep|Semaphore|EventLoop|epoll|Monitor\.|Blocking|Park|StartCallback|WorkerThreadStart|Interop\+Sys\.Read|"
    r"Join|TimerQueue\.TimerThread|GateThread|PollForValues|CollectWorker|ExporterProc|RunPlatformWatchdog|RunComponentWatchdog|"
    # A thread held at a GC safe point waits for the GC threads, whose own work the managed samples do not show.
    r"PollGC")
# Frames that say nothing about the code (the runtime's own markers and the thread roots).
MARKERS = {"CPU_TIME", "UNMANAGED_CODE_TIME", "Threads", "(Non-Activities)", "?!?"}


def busy_stacks(doc):
    """Yields (stack of frame names, weight) for each busy sample of every thread."""
    frames = [f["name"] for f in doc["shared"]["frames"]]
    for profile in doc["profiles"]:
        if profile["type"] == "sampled":
            weights = profile.get("weights") or [1] * len(profile["samples"])
            for sample, weight in zip(profile["samples"], weights):
                yield [frames[i] for i in sample], weight
        else:  # evented: the time between two events belongs to the stack open then
            stack, last = [], None
            for event in profile["events"]:
                if last is not None and stack:
                    yield [frames[i] for i in stack], event["at"] - last
                last = event["at"]
                if event["type"] == "O":
                    stack.append(event["frame"])
                else:
                    stack.pop()


def is_busy(stack):
    """Whether the innermost real frame (under the runtime's CPU_TIME / UNMANAGED_CODE_TIME markers) is not a wait.
    The markers cannot be trusted for that: the socket event loop's thread is marked CPU_TIME at most of its samples
    while /proc shows it using a few per cent of the process's CPU."""
    named = [frame for frame in stack if frame not in MARKERS]
    return bool(named) and not WAITING.search(named[-1])


def short(name):
    """'Npgsql!Npgsql.NpgsqlCommand+<ExecuteReader>d__122.MoveNext()' -> 'Npgsql: NpgsqlCommand.ExecuteReader'."""
    assembly, _, member = name.partition("!") if "!" in name else ("", "", name)
    member = re.sub(r"\(.*$", "", member)
    member = re.sub(r"\+<([^>]+)>d__\d+(`\d+)?(\[.*?\])*\.MoveNext$", r".\1", member)  # async state machine
    member = re.sub(r"`\d+(\[.*?\])*", "", member)
    parts = member.split(".")
    member = ".".join(parts[-2:]) if len(parts) > 1 else member
    return f"{assembly}: {member}" if assembly else member


# Plumbing every stack runs through (thread pool, async machinery, the scheduler): in every inclusive list, saying nothing.
PLUMBING = re.compile(r"^System\.Private\.CoreLib: (?!Thread\.<PollGC>)|WorkItemGroup\.Execute|^\S+: \S*__Canon")


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    with open(path) as f:
        doc = json.load(f)
    exclusive, inclusive = collections.Counter(), collections.Counter()
    total = busy = 0.0
    for stack, weight in busy_stacks(doc):
        total += weight
        if not is_busy(stack):
            continue
        busy += weight
        named = [short(n) for n in stack if n not in MARKERS and not n.startswith(("Process", "Thread ("))]
        if named:
            exclusive[named[-1]] += weight
        for name in set(named):
            inclusive[name] += weight
    if busy == 0:
        print("no busy samples")
        return
    print(f"busy samples: {busy / total * 100:.1f} % of all thread samples")
    print("exclusive (share of busy samples):")
    for name, weight in exclusive.most_common(top):
        print(f"  {weight / busy * 100:5.1f} %  {name}")
    print("inclusive (share of busy samples):")
    for name, weight in [(n, w) for n, w in inclusive.most_common() if not PLUMBING.search(n)][:top]:
        print(f"  {weight / busy * 100:5.1f} %  {name}")


if __name__ == "__main__":
    main()
