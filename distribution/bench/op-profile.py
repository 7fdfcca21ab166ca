# Sums a SameDiff profile (Chrome trace JSON, written by a DL4J training run with
# -Doneshot.dl4j.profile=FILE) by op type: the share of op time, calls and mean microseconds, and the
# wall time the ops leave uncovered (SameDiff's graph walk, allocation, Java input preparation).
#   python3 op-profile.py FILE [TOP]
import collections, json, sys

path = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 20
text = open(path).read().rstrip()
try:
    data = json.loads(text)
except json.JSONDecodeError:  # the listener may stop before closing the array
    data = json.loads(text.rstrip(",") + ("" if text.endswith("]") else "]"))
events = [e for e in (data["traceEvents"] if isinstance(data, dict) else data)
          if e.get("ph") == "X" and "Op" in (e.get("categories") or [])]
by_op = collections.defaultdict(lambda: [0, 0])
for e in events:
    by_op[e["name"]][0] += e["dur"]
    by_op[e["name"]][1] += 1
total = sum(v[0] for v in by_op.values())
wall = max(e["ts"] + e["dur"] for e in events) - min(e["ts"] for e in events)
print(f"{'op':<28} {'share':>6} {'calls':>6} {'mean µs':>9}")
for name, (dur, calls) in sorted(by_op.items(), key=lambda kv: -kv[1][0])[:top]:
    print(f"{name:<28} {100 * dur / total:>5.1f}% {calls:>6} {dur / calls:>9.0f}")
print(f"ops {total / 1e6:.2f} s of {wall / 1e6:.2f} s wall ({100 * total / wall:.0f}%), "
      f"{len(events)} op calls")
