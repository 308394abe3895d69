"""The index folder: chunks, the lexical index and a manifest, swapped in atomically.

Layout: `<index_dir>/CURRENT` names the live build folder `build-…/`. A build is written into a
temporary folder, renamed, and only then does CURRENT switch (os.replace), so a crash mid-build leaves the
previous index in use.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import platform
import shutil
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import numpy as np

from embeddings.protocols import DenseStore, Embedder
from rag.corpus.catalog import Catalog
from rag.corpus.dictionary import corpus_words, derive_entries, english_words, write_entries
from rag.corpus.glossary import Glossary
from rag.corpus.lexicon import Lexicon
from rag.corpus.loader import read_text
from rag.corpus.passages import document_chunks
from rag.corpus.titles import load_titles
from rag.index.lexical import LexicalIndex
from rag.text.tokenize import Tokenizer
from rag.types import Chunk

PARSER_VERSION = "18"
_DATA_FILES = ("catalog.toml", "glossary.tsv", "userdict.txt", "stopwords.txt", "section_titles.tsv")


class IndexUnusable(RuntimeError):
    """The index folder is missing or unusable; rebuilding fixes it."""


@dataclass
class Index:
    directory: Path
    manifest: dict
    chunks: list[Chunk]
    lexical: LexicalIndex
    dense: DenseStore | None = None  # when built with an embedding model
    tokens: list[list[str]] = field(default_factory=list)  # each chunk's lexical tokens, for relevance checks
    documents: dict[str, str] = field(default_factory=dict)  # each document's text as read, for quote checks
    dictionary: Glossary = field(default_factory=lambda: Glossary([]))  # rag.corpus.dictionary: the corpus's words


def corpus_fingerprint(catalog: Catalog) -> str:
    """Hash of everything that shapes the chunks: documents, catalog and data files, parser version."""
    digest = hashlib.sha256(PARSER_VERSION.encode())
    for name in _DATA_FILES:
        path = catalog.directory / name
        if path.is_file():
            digest.update(name.encode() + b"\0" + path.read_bytes())
    for doc in catalog.documents:
        digest.update(doc.file.encode() + b"\0" + catalog.path_of(doc).read_bytes())
    return digest.hexdigest()


def read_documents(catalog: Catalog) -> dict[str, str]:
    """Every document's text, read (and extracted) once per build; the index keeps it."""
    return {doc.doc_id: read_text(catalog.path_of(doc)) for doc in catalog.documents}


def build_chunks(catalog: Catalog, max_chars: int, min_chars: int,
                 documents: dict[str, str] | None = None) -> list[Chunk]:
    titles = load_titles(catalog.directory)
    documents = documents if documents is not None else read_documents(catalog)
    chunks = []
    for doc in catalog.documents:
        chunks.extend(document_chunks(documents[doc.doc_id], doc, titles.get(doc.doc_id, []), max_chars, min_chars))
    return chunks


_INDEXING_PACKAGES = ("corpus", "text", "index")  # the code that turns documents into chunks and tokens


@functools.cache
def indexing_code_digest() -> str:
    """A digest of the source of the packages that read, parse, chunk and tokenise documents. An upgrade that
    changes how documents are parsed changes the chunks, so an index built by other code is rebuilt."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(digest_size=8)
    for package in _INDEXING_PACKAGES:
        for path in sorted((root / package).glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for package in ("bm25s", "jieba", "opencc", "hk-policy-qa"):
        try:
            out[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            out[package] = "unknown"
    return out


@contextmanager
def _build_lock(index_dir: Path):
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_index(
    index_dir: Path,
    catalog: Catalog,
    tokenizer: Tokenizer,
    settings: dict,
    progress: Callable[[str], None] = lambda message: None,
    embedder: Embedder | None = None,
    *,
    lexicon: Lexicon,
    embedding_cache: Path | None = None,
) -> Index:
    """Build chunks, the lexical index and (given an embedder) the dense index aside, then switch CURRENT.

    The manifest records the lexicon's digest: answers from this index are read with those word lists, and a
    changed lexicon makes the index stale (`is_stale`).
    """
    with _build_lock(index_dir):
        started = time.perf_counter()
        progress("parsing and chunking the corpus")
        documents = read_documents(catalog)
        chunks = build_chunks(catalog, settings["chunk_max_chars"], settings["chunk_min_chars"], documents)
        staging = index_dir / f".tmp-{os.getpid()}-{time.time_ns()}"
        staging.mkdir(parents=True)
        try:
            (staging / "documents.json").write_text(json.dumps(documents, ensure_ascii=False), encoding="utf-8")
            with open(staging / "chunks.jsonl", "w", encoding="utf-8") as out:
                for chunk in chunks:
                    out.write(json.dumps(chunk.to_record(), ensure_ascii=False) + "\n")
            cache_dir = embedding_cache or index_dir / "embedding-cache"
            vectors = _embed_alongside(chunks, embedder, cache_dir, settings.get("embedding_max_chars")) \
                if embedder is not None else None
            alongside = f"; {embedder.name} embeds alongside" if embedder is not None else ""
            progress(f"indexing {len(chunks)} chunks (jieba + BM25{alongside})")
            tokens = [tokenizer.tokenize(lexical_text(c)) for c in chunks]
            (staging / "tokens.json").write_text(json.dumps(tokens, ensure_ascii=False), encoding="utf-8")
            lexical = LexicalIndex.build(tokens, tokenizer)
            lexical.save(staging / "bm25")
            progress("looking up the corpus's words in the dictionary")
            skip = [*tokenizer.stopwords, *lexicon.framing, *lexicon.question_words]
            dictionary = derive_entries(corpus_words(tokens), english_words(c.text for c in chunks), skip,
                                        tokenizer.frequency, tokenizer.stem)
            (staging / "dictionary.tsv").write_text(write_entries(dictionary), encoding="utf-8")
            dense = _build_dense(chunks, embedder, vectors, staging, progress) if embedder is not None else None
            manifest = {
                "corpus_fingerprint": corpus_fingerprint(catalog),
                "tokenizer": tokenizer.signature(),
                "lexicon": lexicon.digest,
                "settings": settings,
                "versions": _versions(),
                "code": indexing_code_digest(),
                "documents": [d.doc_id for d in catalog.documents],
                "documents_without_text": sorted({d.doc_id for d in catalog.documents} - {c.doc_id for c in chunks}),
                "chunks": len(chunks),
                "dense": {"model": embedder.name, "dim": embedder.dim, "fingerprint": embedder.fingerprint}
                if embedder is not None
                else None,
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "build_seconds": round(time.perf_counter() - started, 3),
                "files": file_checksums(staging),
            }
            (staging / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
            final = index_dir / f"build-{time.time_ns()}"
            staging.rename(final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        pointer, current = index_dir / "CURRENT.tmp", index_dir / "CURRENT"
        pointer.write_text(final.name)
        if current.is_dir() and not current.is_symlink():  # damage: a folder where the pointer belongs
            shutil.rmtree(current)
        os.replace(pointer, current)
        _remove_stale(index_dir, keep=final.name)
        return Index(final, manifest, chunks, lexical, dense, tokens, documents, Glossary(dictionary))


def file_checksums(directory: Path) -> dict[str, list]:
    """[size, BLAKE2b digest] of every file of a build but its manifest: checked on each load, so a file
    damaged in place (same size or not) is noticed and the index rebuilt."""
    out = {}
    for path in sorted(directory.rglob("*")):
        if path.is_file() and path.name != "manifest.json":
            with path.open("rb") as handle:
                digest = hashlib.file_digest(handle, lambda: hashlib.blake2b(digest_size=16)).hexdigest()
            out[str(path.relative_to(directory))] = [path.stat().st_size, digest]
    return out


def embedding_text(chunk: Chunk, max_chars: int | None = None) -> str:
    """What the embedding model reads: section path, English title and text, the first `max_chars` of it.

    The model's cost grows with the text's length (a little faster than linearly), and what a passage is about
    is mostly said by its headings and first sentences; its details are found by the lexical index.
    """
    text = "\n".join([*chunk.path, *chunk.english_titles(), chunk.text])
    return text[:max_chars] if max_chars else text


class _Alongside:
    """One call run on a daemon thread; `result()` waits for it and re-raises what it raised.

    Embedding passages is native code that releases the GIL (the bundled engine through ctypes, torch for
    sentence-transformers), so the build's own Python work (jieba, BM25, writing files, importing llama-index)
    goes on meanwhile instead of leaving a core idle. Vectors do not depend on where they are computed. A
    build that fails does not wait for the thread: it finishes embedding on its own (caching the vectors for
    the next try) and does not keep the process alive.
    """

    def __init__(self, work: Callable[[], np.ndarray]) -> None:
        self._value: np.ndarray | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(work,), name="embed-passages", daemon=True)
        self._thread.start()

    def _run(self, work: Callable[[], np.ndarray]) -> None:
        try:
            self._value = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the thread that waits, which re-raises it
            self._error = exc

    def result(self) -> np.ndarray:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._value is not None
        return self._value


def _embed_alongside(chunks: list[Chunk], embedder: Embedder, cache_dir: Path,
                     max_chars: int | None) -> _Alongside:
    """Start embedding the chunks (only those the vector cache lacks) while the caller builds the rest."""
    from embeddings.cache import EmbeddingCache
    from embeddings.store import embed_passages_cached

    texts = [embedding_text(c, max_chars) for c in chunks]
    return _Alongside(lambda: embed_passages_cached(texts, embedder, EmbeddingCache(cache_dir)))


def _build_dense(chunks: list[Chunk], embedder: Embedder, vectors: _Alongside, staging: Path,
                 progress: Callable[[str], None]) -> DenseStore:
    from embeddings.store import DenseIndex, import_faiss_store

    progress(f"embedding {len(chunks)} chunks with {embedder.name} (cached vectors are reused)")
    import_faiss_store()  # while the last passages are embedded
    dense = DenseIndex.from_vectors([c.chunk_id for c in chunks], vectors.result(), embedder.name)
    (staging / "dense").mkdir()
    dense.save(staging / "dense")
    return dense


def _remove_stale(index_dir: Path, keep: str) -> None:
    for path in index_dir.iterdir():
        if path.is_dir() and path.name != keep and path.name.startswith(("build-", ".tmp-")):
            shutil.rmtree(path, ignore_errors=True)


def load_index(index_dir: Path, tokenizer: Tokenizer, embedder: Embedder | None = None) -> Index:
    """Load the live build (and its dense index when an embedder is given and it has one).

    Raises IndexUnusable with the reason when it is missing or damaged: any failure to read it, of any kind,
    is damage that a rebuild mends.
    """
    pointer = index_dir / "CURRENT"
    if not pointer.exists():
        raise IndexUnusable(f"No index in {index_dir} yet.")
    try:
        return _load_build(index_dir, pointer, tokenizer, embedder)
    except IndexUnusable:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever broke, the remedy is the same: rebuild
        raise IndexUnusable(f"The index in {index_dir} is damaged ({exc.__class__.__name__}: {exc}).") from exc


def _load_build(index_dir: Path, pointer: Path, tokenizer: Tokenizer, embedder: Embedder | None) -> Index:
    name = pointer.read_text(encoding="utf-8").strip()
    directory = index_dir / name
    if not name.startswith("build-") or "/" in name or not directory.is_dir():
        raise IndexUnusable(f"The index pointer {pointer} names no build folder.")
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        raise IndexUnusable(f"The index manifest in {directory} is not one this version writes.")
    if file_checksums(directory) != manifest["files"]:
        raise IndexUnusable(f"The index in {directory} is damaged: its files do not match their checksums.")
    with open(directory / "chunks.jsonl", encoding="utf-8") as handle:
        chunks = [Chunk.from_record(json.loads(line)) for line in handle if line.strip()]
    lexical = LexicalIndex.load(directory / "bm25", tokenizer)
    tokens = json.loads((directory / "tokens.json").read_text(encoding="utf-8"))
    documents = json.loads((directory / "documents.json").read_text(encoding="utf-8"))
    if len(chunks) != manifest.get("chunks") or len(tokens) != len(chunks):
        raise IndexUnusable(f"The index in {directory} is damaged: its chunk count does not match its manifest.")
    dense = None
    built = manifest.get("dense") or {}
    if embedder is not None and (built.get("model"), built.get("dim")) == (embedder.name, embedder.dim):
        # (a different model is not damage: is_stale reports it and the caller rebuilds)
        from embeddings.store import DenseIndex

        dense = DenseIndex.load(directory / "dense", expected_dim=embedder.dim, expected_model=embedder.name)
    return Index(directory, manifest, chunks, lexical, dense, tokens, documents,
                 Glossary.load(directory / "dictionary.tsv"))


def is_stale(
    index: Index, catalog: Catalog, tokenizer: Tokenizer, settings: dict, embedder: Embedder | None = None,
    *, lexicon: Lexicon,
) -> str | None:
    """Why the index no longer matches the corpus, lexicon, settings or embedding model, or None when current."""
    if index.manifest.get("corpus_fingerprint") != corpus_fingerprint(catalog):
        return "the corpus changed"
    if index.manifest.get("tokenizer") != tokenizer.signature():
        return "the tokenizer dictionary changed"
    if index.manifest.get("lexicon") != lexicon.digest:
        return "the lexicon (corpus/lexicon) changed"
    if index.manifest.get("settings") != settings:
        return "the index settings changed"
    if index.manifest.get("code") != indexing_code_digest():
        return "the document parser changed (a new version of the code)"
    if embedder is not None:
        built = index.manifest.get("dense")
        if built is None:
            return "it has no dense vectors yet"
        if (built.get("model"), built.get("dim"), built.get("fingerprint")) != (
            embedder.name, embedder.dim, embedder.fingerprint,
        ):
            was = f"{built.get('model')}, dim {built.get('dim')}"
            return f"the embedding model changed ({was} → {embedder.name}, dim {embedder.dim})"
    return None


def lexical_text(chunk: Chunk) -> str:
    """What BM25 indexes: the section path and headings count in the match, and the English titles."""
    return "\n".join([chunk.title, *chunk.path, *chunk.english_titles(), chunk.text])
