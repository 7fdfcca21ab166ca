# Recipe sweep: the shipped siamese network (the same tower, L1 head, bilinear [0,1] input and Koch's
# distortions as org.oneshot.api.model) re-built in PyTorch, to try training recipes fast on a GPU.
# Budgets are CPU minutes: the pairs oneshot's DJL backend trains in that time on the 2-core machine
# the README's figures come from (71 GFLOP/s achieved, face:bench). Figures from this script are a
# PyTorch replica's, not the product's: confirm a recipe with face:train before claiming it.
#
#   DATA=../shared/data python3 recipe-sweep.py att|omniglot '[{"name": "x", "size": 64,
#       "dense": 1024, "cpu_min": 8, "augment": true}, ...]'
#
# Config keys: size, dense, convs, cpu_min | pairs, batch (32), lr (1e-3), l2, augment, hard
# (fraction of Omniglot negatives from the same alphabet), schedule ("cosine"), bn (not in the
# product), fixed_pairs (a fixed pool re-used like face:train --pairs), floor (print pixel NN),
# inbatch [P, K] (each step embeds K images of each of P classes and trains on every pair among them,
# positives and negatives weighted half each; the budget counts images, as the tower's cost does),
# resize ("area" for Omniglot), alphabet (fraction of in-batch steps whose classes all come from one Omniglot alphabet),
# turns (Omniglot: every character also turned by 90°, 180° and 270° as new characters of new alphabets),
# seed; regularisers for small face sets: dropout (before the dense layer), standardise (each image to
# zero mean and unit variance), erase (probability of random erasing per training image), jitter
# (brightness and contrast strength), flip (random horizontal flips), embed ("l2": a linear embedding
# scaled to unit length instead of sigmoid units); extra identities for AT&T: lfw_share (fraction of
# steps whose pairs come from the Haar-cut LFW faces in $LFW_CROPS, person_NNNN.png) or lfw_pretrain
# (fraction of the steps, at the start, that train on LFW pairs only).
# Writes one JSON line per config to $OUT/<dataset>.jsonl.
import io, json, math, os, random, sys, time, zipfile
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F

dev = torch.device(os.environ.get("DEVICE", "cuda"))
torch.backends.cudnn.benchmark = True
DATA = os.environ.get("DATA", "../shared/data")
LFW_CROPS = os.environ.get("LFW_CROPS", "")


def decode_png(b):
    try:
        from PIL import Image
        return np.array(Image.open(io.BytesIO(b)).convert("L"), dtype=np.uint8)
    except ImportError:
        import torchvision.io as tio
        t = tio.decode_png(torch.frombuffer(bytearray(b), dtype=torch.uint8), mode=tio.ImageReadMode.GRAY)
        return t[0].numpy()


def read_pgm(path):
    data = open(path, "rb").read()
    parts, i = [], 0
    while len(parts) < 4:
        while data[i:i + 1].isspace():
            i += 1
        if data[i:i + 1] == b"#":
            while data[i:i + 1] != b"\n":
                i += 1
            continue
        j = i
        while not data[j:j + 1].isspace():
            j += 1
        parts.append(data[i:j]); i = j
    i += 1
    w, h = int(parts[1]), int(parts[2])
    return np.frombuffer(data[i:i + w * h], dtype=np.uint8).reshape(h, w)


def resize(imgs, size, mode="bilinear"):  # N×H×W uint8 -> N×1×size×size float [0,1], like Preprocessor
    t = torch.tensor(np.stack(imgs), dtype=torch.float32, device=dev).unsqueeze(1) / 255.0
    if mode == "area":
        return F.interpolate(t, size=(size, size), mode="area")
    return F.interpolate(t, size=(size, size), mode="bilinear", align_corners=False)


def omniglot_background():
    z = zipfile.ZipFile(os.path.join(DATA, "omniglot", "images_background.zip"))
    chars = {}
    for n in sorted(z.namelist()):
        if n.endswith(".png"):
            _, alpha, ch, _ = n.split("/")
            chars.setdefault((alpha, ch), []).append(decode_png(z.read(n)))
    keys = sorted(chars)
    imgs, label, alpha_of = [], [], []
    alphas = sorted({k[0] for k in keys})
    for ci, k in enumerate(keys):
        for im in chars[k]:
            imgs.append(im); label.append(ci)
        alpha_of.append(alphas.index(k[0]))
    return imgs, np.array(label), np.array(alpha_of)


def omniglot_runs():
    z = zipfile.ZipFile(os.path.join(DATA, "omniglot", "all_runs.zip"))
    runs = []
    for r in range(1, 21):
        lines = z.read(f"all_runs/run{r:02d}/class_labels.txt").decode().split()
        tests, trains = lines[0::2], lines[1::2]
        timgs = [decode_png(z.read("all_runs/" + t)) for t in tests]
        cls = sorted(set(trains))
        cimgs = [decode_png(z.read("all_runs/" + c)) for c in cls]
        answer = [cls.index(c) for c in trains]
        runs.append((timgs, cimgs, answer))
    return runs


def att():
    imgs, label = [], []
    for p in range(1, 41):
        for m in range(1, 11):
            imgs.append(read_pgm(os.path.join(DATA, "att_faces", f"s{p}", f"{m}.pgm"))); label.append(p)
    return imgs, np.array(label)


class Siamese(nn.Module):
    def __init__(self, size, convs, dense, bn=False, dropout=0.0, embed="sigmoid", pool_first=False):
        super().__init__()
        self.l2 = embed == "l2"
        self.scale = math.sqrt(dense)
        layers, c, s = [], 1, size
        for (f, k, pool) in convs:
            layers += [nn.Conv2d(c, f, k)]
            if bn:
                layers += [nn.BatchNorm2d(f)]
            # max(relu) = relu(max): pooling first gives the same values and gradients, and the
            # ReLU then works on a quarter of the activations (the backends' order).
            s = s - k + 1
            if pool and pool_first:
                layers += [nn.MaxPool2d(2), nn.ReLU()]; s //= 2
            elif pool:
                layers += [nn.ReLU(), nn.MaxPool2d(2)]; s //= 2
            else:
                layers += [nn.ReLU()]
            c = f
        top = [nn.Flatten()] + ([nn.Dropout(dropout)] if dropout else []) + [nn.Linear(c * s * s, dense)]
        self.tower = nn.Sequential(*layers, *top, *([] if self.l2 else [nn.Sigmoid()]))
        self.head = nn.Linear(dense, 1)
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.xavier_uniform_(m.weight); nn.init.zeros_(m.bias)

    def embed(self, x):
        e = self.tower(x)
        return F.normalize(e, dim=1) * self.scale if self.l2 else e

    def score(self, a, b):
        return self.head((a - b).abs()).squeeze(1)


def flops_per_image(size, convs, dense):
    f, c, s = 0, 1, size
    for (n, k, pool) in convs:
        s = s - k + 1
        f += 2 * s * s * n * c * k * k
        if pool:
            s //= 2
        c = n
    return f + 2 * c * s * s * dense


def distort(x, gen):  # Koch: rot ±10°, shear ±0.3, scale 0.8–1.2, shift ±2 px, each with p 0.5
    n, size = x.shape[0], x.shape[-1]
    def maybe(lo, hi, neutral):
        on = torch.rand(n, device=dev, generator=gen) < 0.5
        v = lo + (hi - lo) * torch.rand(n, device=dev, generator=gen)
        return torch.where(on, v, torch.full_like(v, neutral))
    rot = maybe(-math.radians(10), math.radians(10), 0.0)
    sh = maybe(-0.3, 0.3, 0.0)
    sx = maybe(0.8, 1.2, 1.0); sy = maybe(0.8, 1.2, 1.0)
    tx = maybe(-2, 2, 0.0) * 2 / size; ty = maybe(-2, 2, 0.0) * 2 / size
    cos, sin = rot.cos(), rot.sin()
    a = torch.stack([torch.stack([cos * sx, (cos * sh - sin) * sy, tx], 1),
                     torch.stack([sin * sx, (sin * sh + cos) * sy, ty], 1)], 1)
    grid = F.affine_grid(a, x.shape, align_corners=False)
    # Omniglot and faces both: pad with the border value (white paper / face edge)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)


def erase(x, p, gen):  # random erasing: a rectangle of 2–25% of the image, filled with the image mean
    n, size = x.shape[0], x.shape[-1]
    r = lambda: torch.rand(n, device=dev, generator=gen)
    area = (0.02 + 0.23 * r()) * size * size
    aspect = torch.exp((r() * 2 - 1) * math.log(3))
    h = (area * aspect).sqrt().clamp(1, size); w = (area / aspect).sqrt().clamp(1, size)
    y0 = r() * (size - h); x0 = r() * (size - w)
    ar = torch.arange(size, device=dev, dtype=torch.float32)
    my = (ar[None, :] >= y0[:, None]) & (ar[None, :] < (y0 + h)[:, None])
    mx = (ar[None, :] >= x0[:, None]) & (ar[None, :] < (x0 + w)[:, None])
    m = (my[:, :, None] & mx[:, None, :] & (r() < p)[:, None, None]).unsqueeze(1)
    return torch.where(m, x.mean(dim=(1, 2, 3), keepdim=True).expand_as(x), x)


def jitter(x, j, gen):  # contrast × [1−j, 1+j] about the image mean, brightness ± j/2
    n = x.shape[0]
    c = 1 + j * (2 * torch.rand(n, 1, 1, 1, device=dev, generator=gen) - 1)
    b = j / 2 * (2 * torch.rand(n, 1, 1, 1, device=dev, generator=gen) - 1)
    m = x.mean(dim=(1, 2, 3), keepdim=True)
    return (x - m) * c + m + b


def flip(x, gen):
    on = (torch.rand(x.shape[0], device=dev, generator=gen) < 0.5)[:, None, None, None]
    return torch.where(on, x.flip(-1), x)


def train_view(x, cfg, gen):  # what a training image goes through before the tower
    if cfg.get("augment"):
        x = distort(x, gen)
    if cfg.get("flip"):
        x = flip(x, gen)
    if cfg.get("jitter"):
        x = jitter(x, cfg["jitter"], gen)
    if cfg.get("erase"):
        x = erase(x, cfg["erase"], gen)
    return x


def lfw_crops():  # person_NNNN.png Haar cut-outs, grey
    files = sorted(f for f in os.listdir(LFW_CROPS) if f.endswith(".png"))
    people = sorted({f.rsplit("_", 1)[0] for f in files})
    imgs = [decode_png(open(os.path.join(LFW_CROPS, f), "rb").read()) for f in files]
    return imgs, np.array([people.index(f.rsplit("_", 1)[0]) for f in files])


def sample_ragged(label, multi, n, gen_np):  # pairs from identities with any number of images
    half = n // 2
    a, b = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    for i in range(half):
        m = multi[gen_np.integers(len(multi))]
        a[i], b[i] = gen_np.choice(m, 2, replace=False)
    for i in range(half, n):
        a[i] = gen_np.integers(len(label))
        b[i] = gen_np.integers(len(label))
        while label[b[i]] == label[a[i]]:
            b[i] = gen_np.integers(len(label))
    return a, b, (np.arange(n) < half).astype(np.float32)


def sample_pairs(label, alpha_of, n, gen_np, hard_frac):
    classes = np.unique(label)
    M = np.stack([np.flatnonzero(label == c) for c in classes])  # every class has the same count
    C, K = M.shape
    half = n // 2
    c = gen_np.integers(C, size=n)
    k1 = gen_np.integers(K, size=n)
    k2 = (k1 + gen_np.integers(1, K, size=n)) % K
    d = (c + gen_np.integers(1, C, size=n)) % C
    if alpha_of is not None and hard_frac > 0:
        for i in np.flatnonzero(gen_np.random(n) < hard_frac):
            same = np.flatnonzero(alpha_of == alpha_of[c[i]])
            if len(same) > 1:
                dd = same[gen_np.integers(len(same))]
                while dd == c[i]:
                    dd = same[gen_np.integers(len(same))]
                d[i] = dd
    pos = np.arange(n) < half
    a = M[c, k1]
    b = np.where(pos, M[c, k2], M[d, gen_np.integers(K, size=n)])
    return a, b, pos.astype(np.float32)


def sample_batch(label, alpha_of, P, K, gen_np, alphabet_frac):
    classes = np.unique(label)
    M = np.stack([np.flatnonzero(label == c) for c in classes])
    C, n_per = M.shape
    if alpha_of is not None and gen_np.random() < alphabet_frac:
        alpha = alpha_of[gen_np.integers(C)]
        same = np.flatnonzero(alpha_of == alpha)
        pick = gen_np.permutation(same)[:P]
        if len(pick) < P:
            rest = np.setdiff1d(np.arange(C), pick)
            pick = np.concatenate([pick, gen_np.permutation(rest)[: P - len(pick)]])
    else:
        pick = gen_np.permutation(C)[:P]
    k = np.stack([gen_np.permutation(n_per)[:K] for _ in pick])
    return M[pick[:, None], k].reshape(-1), np.repeat(pick, K)


def train(cfg, X, label, alpha_of, evaluate, log, extra=None):
    torch.manual_seed(cfg.get("seed", 42))
    gen = torch.Generator(device=dev); gen.manual_seed(cfg.get("seed", 42))
    rng = np.random.default_rng(cfg.get("seed", 42))
    net = Siamese(cfg["size"], cfg["convs"], cfg["dense"], cfg.get("bn", False),
                  cfg.get("dropout", 0.0), cfg.get("embed", "sigmoid")).to(dev)
    lr = cfg.get("lr", 1e-3)
    opt = torch.optim.Adam(net.parameters(), lr=lr, weight_decay=cfg.get("l2", 0.0))
    batch = cfg.get("batch", 32)
    total = cfg.get("pairs") or int(cfg["cpu_min"] * 60 * 71e9 / (6 * flops_per_image(cfg["size"], cfg["convs"], cfg["dense"])))
    inbatch = cfg.get("inbatch")
    per_step = inbatch[0] * inbatch[1] if inbatch else 2 * batch  # images through the tower
    steps = 2 * total // per_step
    fixed = cfg.get("fixed_pairs")  # a fixed pool re-used every epoch, like face:train --pairs
    if fixed:
        pa, pb, py = sample_pairs(label, alpha_of, fixed, rng, cfg.get("hard", 0.0))
    curve = []
    checkpoints = set(int(steps * f) for f in cfg.get("curve", [0.25, 0.5, 0.75, 1.0]))
    t0 = time.time()

    def inbatch_step():  # every pair among P classes × K images, each kind half of the loss
        idx, cls = sample_batch(label, alpha_of, inbatch[0], inbatch[1], rng, cfg.get("alphabet", 0.0))
        e = net.embed(train_view(X[idx], cfg, gen))
        i, j = torch.triu_indices(len(idx), len(idx), 1, device=dev)
        logit = net.score(e[i], e[j])
        c = torch.tensor(cls, device=dev)
        y = (c[i] == c[j]).float()
        l = F.binary_cross_entropy_with_logits(logit, y, reduction="none")
        return 0.5 * (l[y == 1].mean() + l[y == 0].mean())

    pretrain_steps = int(steps * cfg.get("lfw_pretrain", 0.0))

    def pair_step(step):  # a batch of listed pairs
        if extra is not None and (step <= pretrain_steps or rng.random() < cfg.get("lfw_share", 0.0)):
            XE, le, multi = extra
            a, b, y = sample_ragged(le, multi, batch, rng)
            logit = net.score(net.embed(train_view(XE[a], cfg, gen)), net.embed(train_view(XE[b], cfg, gen)))
            return F.binary_cross_entropy_with_logits(logit, torch.tensor(y, device=dev))
        if fixed:
            sel = rng.integers(fixed, size=batch)
            a, b, y = pa[sel], pb[sel], py[sel]
        else:
            a, b, y = sample_pairs(label, alpha_of, batch, rng, cfg.get("hard", 0.0))
        xa, xb = train_view(X[a], cfg, gen), train_view(X[b], cfg, gen)
        logit = net.score(net.embed(xa), net.embed(xb))
        return F.binary_cross_entropy_with_logits(logit, torch.tensor(y, device=dev))

    for step in range(1, steps + 1):
        if cfg.get("schedule") == "cosine":
            for g in opt.param_groups:
                g["lr"] = lr * 0.5 * (1 + math.cos(math.pi * step / steps))
        net.train()
        loss = inbatch_step() if inbatch else pair_step(step)
        opt.zero_grad(); loss.backward(); opt.step()
        if step in checkpoints:
            net.eval()
            with torch.no_grad():
                acc = evaluate(net)
            # tower work so far: every image forward and backward (3× a forward)
            cpu_s = step * per_step * 3 * flops_per_image(cfg["size"], cfg["convs"], cfg["dense"]) / 71e9
            seen = {"images": step * per_step} if inbatch else {"pairs": step * batch}
            curve.append({**seen, "cpu_min": round(cpu_s / 60, 1), "loss": round(loss.item(), 4), **acc})
            log(f"  {cfg['name']}: {curve[-1]}")
    return curve


def omniglot_eval(runs, size, mode="bilinear"):
    prepared = [(resize(t, size, mode), resize(c, size, mode), torch.tensor(ans, device=dev)) for t, c, ans in runs]
    def ev(net):
        correct = 0
        for t, c, ans in prepared:
            et, ec = net.embed(t), net.embed(c)
            s = net.score(et.repeat_interleave(20, 0), ec.repeat(20, 1)).view(20, 20)
            correct += (s.argmax(1) == ans).sum().item()
        return {"oneshot20": correct / 400}
    return ev


def att_eval(Xtest, ltest):
    def ev(net):
        e = net.embed(Xtest)
        n = len(ltest)
        i, j = torch.triu_indices(n, n, 1, device=dev)
        s = net.score(e[i], e[j])
        same = torch.tensor(ltest, device=dev)[i] == torch.tensor(ltest, device=dev)[j]
        pos, neg = s[same], s[~same]
        g = torch.Generator(device=dev); g.manual_seed(1)
        neg = neg[torch.randperm(len(neg), device=dev, generator=g)[: len(pos)]]
        scores = torch.cat([pos, neg]); truth = torch.cat([torch.ones_like(pos), torch.zeros_like(neg)]).bool()
        # 10-fold: threshold chosen on 9 folds, accuracy on the 10th
        perm = torch.randperm(len(scores), device=dev, generator=g)
        folds = perm.chunk(10); accs = []
        for k in range(10):
            tr = torch.cat([folds[m] for m in range(10) if m != k]); te = folds[k]
            st, order = scores[tr].sort()
            tt = truth[tr][order].float()
            # threshold st[k]: the k lowest are called different, the rest the same
            neg_below = torch.cat([torch.zeros(1, device=dev), torch.cumsum(1 - tt, 0)[:-1]])
            pos_above = tt.sum() - torch.cat([torch.zeros(1, device=dev), torch.cumsum(tt, 0)[:-1]])
            best = st[torch.argmax(neg_below + pos_above)]
            accs.append(((scores[te] >= best) == truth[te]).float().mean().item())
        # 10-way one-shot: one random reference image per test person, every other image a probe
        labels = sorted(set(ltest.tolist())); lt = torch.tensor(ltest, device=dev); correct = total = 0
        for trial in range(20):
            refs = [int(np.flatnonzero(ltest == p)[(trial * 7) % 10]) for p in labels]
            er = e[refs]
            for q in range(n):
                if q in refs:
                    continue
                sc = net.score(e[q:q + 1].expand(len(refs), -1), er)
                correct += int(labels[sc.argmax().item()] == ltest[q]); total += 1
        return {"pair_acc": round(sum(accs) / 10, 4), "oneshot10": round(correct / total, 4)}
    return ev


def pixel_floor_att(Xtest, ltest):
    return att_eval(Xtest, ltest)(type("N", (), {"embed": lambda self, x: x.flatten(1), "score": lambda self, a, b: -(a - b).abs().sum(1)})())


def prepare(x, cfg):  # test and training images alike
    if cfg.get("standardise"):
        m = x.mean(dim=(1, 2, 3), keepdim=True); sd = x.std(dim=(1, 2, 3), keepdim=True)
        return (x - m) / (sd + 1e-6)
    return x


SMALL = [(32, 7, True), (64, 5, True), (64, 3, True), (128, 3, False)]


def main():
    which = sys.argv[1]
    cfgs = json.loads(sys.argv[2])
    out = open(os.path.join(os.environ.get("OUT", "."), f"{which}.jsonl"), "a")
    def log(s):
        print(s, flush=True)
    if which == "omniglot":
        imgs, label, alpha_of = omniglot_background(); runs = omniglot_runs()
        log(f"omniglot: {len(imgs)} images, {label.max()+1} characters")
    else:
        imgs, label = att(); alpha_of = None
        lfw_imgs, lfw_label = lfw_crops() if LFW_CROPS else ([], None)
        train_idx = np.flatnonzero(label <= 30); test_idx = np.flatnonzero(label > 30)
    for cfg in cfgs:
        cfg.setdefault("convs", SMALL)
        t0 = time.time()
        if which == "omniglot":
            mode = cfg.get("resize", "bilinear")
            X = resize(imgs, cfg["size"], mode); ev = omniglot_eval(runs, cfg["size"], mode)
            lab, alph = label, alpha_of
            if cfg.get("turns"):
                C, A = label.max() + 1, alpha_of.max() + 1
                X = torch.cat([torch.rot90(X, k, dims=(2, 3)) for k in range(4)])
                lab = np.concatenate([label + k * C for k in range(4)])
                alph = np.concatenate([alpha_of + k * A for k in range(4)])
            curve = train(cfg, X, lab, alph, ev, log)
        else:
            Xall = prepare(resize(imgs, cfg["size"]), cfg)
            Xtr, ltr = Xall[train_idx], label[train_idx]
            Xte, lte = Xall[test_idx], label[test_idx]
            ev = att_eval(Xte, lte)
            if cfg.get("floor"):
                log(f"  pixel floor: {pixel_floor_att(Xte, lte)}")
            extra = None
            if cfg.get("lfw_share") or cfg.get("lfw_pretrain"):
                multi = [m for m in (np.flatnonzero(lfw_label == c) for c in range(lfw_label.max() + 1)) if len(m) >= 2]
                lfw_x = torch.cat([resize([im], cfg["size"]) for im in lfw_imgs])  # crops differ in size
                extra = (prepare(lfw_x, cfg), lfw_label, multi)
            curve = train(cfg, Xtr, ltr, None, ev, log, extra)
        rec = {"cfg": cfg, "curve": curve, "gpu_s": round(time.time() - t0, 1)}
        out.write(json.dumps(rec) + "\n"); out.flush()
        log(json.dumps({"name": cfg["name"], "final": curve[-1], "gpu_s": rec["gpu_s"]}))


if __name__ == "__main__":
    main()
