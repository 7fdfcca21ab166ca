# The yardstick for face:bench's training speed: the same siamese network (recipe-sweep.py's
# replica of org.oneshot.api.model), trained by PyTorch used directly from Python on the CPU, with
# the same batch (32 pairs), threads, optimiser (Adam) and step timing as face:bench (median of
# 5-step windows after WARMUP seconds of training, default 30, and 5 more steps). Images are
# random: speed does not depend on them.
#
#   python3 torch-yardstick.py small|faces|koch [STEPS] [THREADS]   -> one JSON line on stdout
#
# Debian's python3-torch is enough (apt-get install python3-torch); yardstick.sh runs it beside
# face:bench in one run and prints the ratios.
import importlib.util, json, os, statistics, sys, time
import torch, torch.nn.functional as F

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("sweep", os.path.join(here, "recipe-sweep.py"))
sweep = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sweep)

SMALL = dict(size=64, convs=[(32, 7, True), (64, 5, True), (64, 3, True), (128, 3, False)], dense=1024)
KOCH = dict(size=105, convs=[(64, 10, True), (128, 7, True), (128, 4, True), (256, 4, False)], dense=4096)
PRESETS = {"small": (SMALL, False), "faces": (SMALL, True), "omniglot": (SMALL, True), "koch": (KOCH, False)}
BATCH, WARMUP, WINDOW = 32, 5, 5


def main():
    preset = sys.argv[1] if len(sys.argv) > 1 else "small"
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else os.cpu_count()
    torch.set_num_threads(threads)
    torch.manual_seed(42)
    arch, bn = PRESETS[preset]
    # POOL_FIRST=1: max pooling before the ReLU, as both backends order them (the same function).
    pool_first = os.environ.get("POOL_FIRST", "0") == "1"
    net = sweep.Siamese(arch["size"], arch["convs"], arch["dense"], bn=bn, pool_first=pool_first)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    s = arch["size"]
    warmup_seconds = float(os.environ.get("WARMUP", "30"))

    def step():
        a = torch.rand(BATCH, 1, s, s)
        b = torch.rand(BATCH, 1, s, s)
        y = (torch.rand(BATCH) < 0.5).float()
        t0 = time.perf_counter()
        logits = net.score(net.embed(a), net.embed(b))
        loss = F.binary_cross_entropy_with_logits(logits, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return time.perf_counter() - t0

    end = time.perf_counter() + warmup_seconds
    while time.perf_counter() < end:
        step()
    seconds = [step() for _ in range(WARMUP + steps)]
    windows = [WINDOW * BATCH / sum(seconds[i:i + WINDOW])
               for i in range(WARMUP, len(seconds) - WINDOW + 1, WINDOW)]
    flops = 2 * 3 * sweep.flops_per_image(s, arch["convs"], arch["dense"])
    pps = statistics.median(windows)
    print(json.dumps({"preset": preset, "torch": torch.__version__, "threads": threads,
                      "batch": BATCH, "warmupSeconds": warmup_seconds, "poolFirst": pool_first, "pairsPerSecond": pps, "windows": len(windows),
                      "gflops": pps * flops / 1e9}))


if __name__ == "__main__":
    main()
