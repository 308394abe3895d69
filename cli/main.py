"""The `rag` command: index, outline, add / replace / remove (a document), ask (one question or a batch),
feedback, eval, ui."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import NoReturn

from rag.answer.citations import citation
from rag.config import Settings
from rag.corpus.catalog import Catalog, CatalogError
from rag.corpus.ingest import CorpusError
from rag.corpus.lexicon import LexiconError
from rag.corpus.loader import DecodeError
from rag.types import Answer, Mode
from rag.understand.query import QuestionError


class UsageError(ValueError):
    """The command line asks for something that cannot be done; the message says what to give instead."""


class _Parser(argparse.ArgumentParser):
    """argparse whose mistakes are one line (`rag add: the following arguments are required: --body …`)."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("rag").strip()  # the sub-command, as _fail prints "rag: " itself
        raise UsageError(f"{command + ': ' if command else ''}{message} (see {self.prog} --help).")


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(
        corpus_dir=Path(args.corpus) if args.corpus else None,
        index_dir=Path(args.index) if args.index else None,
        mode=Mode(args.mode) if getattr(args, "mode", None) else None,
        top_k=getattr(args, "top_k", None),
    )


def _progress(message: str) -> None:
    """A build step on stderr, written through tqdm: passages are embedded while the lexical index is built, so
    the embedding's progress bar may be on screen, and it is redrawn below the message instead of broken by it."""
    from tqdm import tqdm

    tqdm.write(f"[rag] {message} …", file=sys.stderr)


def cmd_index(args: argparse.Namespace) -> int:
    from rag.pipeline import Pipeline

    pipeline = Pipeline(_settings(args), progress=_progress, rebuild=args.force, progress_bar=sys.stderr.isatty())
    index = pipeline.index
    print(
        f"index ready: {len(index.chunks)} chunks from {len(pipeline.catalog.documents)} documents in {index.directory}"
    )
    return 0


def cmd_outline(args: argparse.Namespace) -> int:
    from rag.corpus.catalog import load_catalog
    from rag.corpus.loader import read_text
    from rag.corpus.sections import outline_rows, parse_document

    catalog = load_catalog(_settings(args).corpus_dir)
    doc = catalog.document(args.doc_id)
    root = parse_document(read_text(catalog.path_of(doc)), doc.front_matter_lines)
    print(render_outline(doc.doc_id, root.heading, root.text_length, outline_rows(root)))
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    """Add one document to the corpus, filed under a body of the catalog or a new one given with its names."""
    from rag.corpus.ingest import add_document

    source = Path(args.file)
    if not source.is_file():
        raise UsageError(f"add: {args.file} is not a file; give the path of a .txt, .pdf or .docx document.")
    settings = _settings(args)
    names = {"name_zh": args.name_zh, "name_en": args.name_en, "short_zh": args.short_zh, "short_en": args.short_en}
    document = add_document(
        settings.corpus_dir,
        source,
        source.name,
        body=args.body,
        title_zh=args.title_zh,
        title_en=args.title_en,
        year=args.year,
        kind=args.kind,
        body_names={key: value for key, value in names.items() if value} or None,
        chunk_max_chars=settings.chunk_max_chars,
        chunk_min_chars=settings.chunk_min_chars,
    )
    print(f"added {document.doc_id} ({document.body} {document.year}) {document.title_zh} as {document.file}; "
          "`rag index` (or the next `rag ask`) brings the index up to date.")
    return 0


def cmd_replace(args: argparse.Namespace) -> int:
    """Put a new file in place of a document's file: same id, body and year (rag.corpus.changes, as the UI does)."""
    from rag.corpus.changes import replace_document

    source = Path(args.file)
    if not source.is_file():
        raise UsageError(f"replace: {args.file} is not a file; give the path of a .txt, .pdf or .docx document.")
    settings = _settings(args)
    document = replace_document(settings.corpus_dir, args.doc_id, source, source.name,
                                chunk_max_chars=settings.chunk_max_chars, chunk_min_chars=settings.chunk_min_chars)
    print(f"replaced the file of {document.doc_id} ({document.body} {document.year}) with {source.name}, "
          f"stored as {document.file}; `rag index` (or the next `rag ask`) brings the index up to date.")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    """Take a document out of the corpus and its catalog (rag.corpus.changes, as the UI does)."""
    from rag.corpus.changes import remove_document

    document = remove_document(_settings(args).corpus_dir, args.doc_id)
    print(f"removed {document.doc_id} ({document.body} {document.year}) {document.title_zh}; "
          "`rag index` (or the next `rag ask`) brings the index up to date.")
    return 0


def render_outline(doc_id: str, title: str, preamble: int, rows: list[tuple[int, str, str, int]]) -> str:
    lines = [f"{doc_id}  {title}", f"(preamble) [{preamble}]"]
    for depth, number, heading, length in rows:
        lines.append(f"{'  ' * depth}{number or '-'} {heading} [{length}]")
    return "\n".join(lines)


def _format_answer(answer: Answer, catalog: Catalog) -> str:
    lines = [answer.answer, ""]
    for s in answer.sources:
        lines.append(f"[{s.n}] {citation(s, catalog)} ({s.doc_id}, score {s.score})")
    for warning in answer.warnings:
        lines.append(f"warning: {warning}")
    return "\n".join(lines)


def cmd_ask(args: argparse.Namespace) -> int:
    from rag.pipeline import Pipeline

    if args.batch is not None and args.question is not None:
        raise UsageError("Give either a question or --batch FILE, not both.")
    if args.batch is None and args.question is None:
        raise QuestionError("The question is empty: give a question, or --batch FILE.")
    if args.batch is None:  # validate before the index loads, so a bad question fails fast
        from rag.understand.query import validate_question

        validate_question(args.question)
    if args.out:
        _check_out(Path(args.out))
    settings = _settings(args)  # checks --top-k and the environment before anything loads
    batch = _open_batch(args.batch) if args.batch is not None else None
    pipeline = Pipeline(settings, progress=_progress, progress_bar=sys.stderr.isatty())
    for notice in pipeline.notices:
        print(f"[rag] {notice}", file=sys.stderr)
    filters = {
        "bodies": args.body,
        "years": args.year,
        "doc_ids": args.doc,
        "mode": Mode(args.mode) if args.mode else None,
    }
    if batch is None:
        answer = pipeline.ask(args.question, history=[args.previous] if args.previous else None, **filters)
        if args.format:
            return _export([answer], args.format, args.out, pipeline.catalog)
        text = json.dumps(answer.to_dict(), ensure_ascii=False, indent=2) if args.json else None
        print(text or _format_answer(answer, pipeline.catalog))
        return 0
    with batch:
        for out in _batch_answers(batch, pipeline, filters):
            print(json.dumps(out, ensure_ascii=False) if args.json else _format_answer_dict(out), flush=True)
    return 0


def _open_batch(name: str):
    if name == "-":
        return sys.stdin
    path = Path(name)
    if not path.is_file():
        raise UsageError(f"--batch {name}: no such file (give a JSON Lines file of {{\"id\", \"question\"}}).")
    return open(path, encoding="utf-8", errors="replace")


def _batch_answers(lines, pipeline, filters: dict):
    """One output per input line: the answer, or that line's `error`; a bad line never stops the batch."""
    seen: set[str] = set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        item_id, question, error = str(number), None, None
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            item, error = {}, f"line {number} is not JSON ({exc.msg}); each line must be {{\"id\", \"question\"}}."
        if not error and not isinstance(item, dict):
            item, error = {}, f"line {number} is not a JSON object with \"id\" and \"question\"."
        if isinstance(item.get("id"), str | int) and not isinstance(item.get("id"), bool):
            item_id = str(item["id"])
        question = item.get("question")
        if not error and not isinstance(question, str):
            error = f"line {number}: \"question\" must be a string."
        if item_id in seen:
            error = error or f"line {number}: the id {item_id!r} was used by an earlier line; ids must be unique."
            item_id = f"{item_id}@line{number}"
        seen.add(item_id)
        previous = item.get("previous") if isinstance(item.get("previous"), str) else None
        if error is None:
            try:
                history = [previous] if previous else None
                yield {"id": item_id, **pipeline.ask(question, history=history, **filters).to_dict()}
                continue
            except QuestionError as exc:
                error = str(exc)
        yield {"id": item_id, "question": question if isinstance(question, str) else None, "error": error}


def _check_out(path: Path) -> None:
    if path.is_dir():
        raise UsageError(f"--out {path} is a folder; give a file name, e.g. {path / 'brief.docx'}.")
    if not path.parent.is_dir():
        raise UsageError(f"--out {path}: the folder {path.parent} does not exist; create it first.")


def _export(answers, fmt: str, out: str | None, catalog) -> int:
    """Write a briefing (Markdown or DOCX) with footnote-style citations."""
    from rag.answer.export import to_docx, to_markdown

    if fmt == "docx":
        if not out:
            raise QuestionError("--format docx needs --out FILE.docx")
        path = to_docx(answers, Path(out), catalog=catalog)
        print(f"wrote {path}", file=sys.stderr)
        return 0
    text = to_markdown(answers, catalog=catalog)
    if out:
        Path(out).write_text(text, encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)
    else:
        print(text)
    return 0


def cmd_feedback_export(args: argparse.Namespace) -> int:
    """Members' thumbs up/down from the UI's workspace → candidate gold questions (JSONL) for `rag eval --gold`."""
    from eval.candidates import candidates, write_jsonl
    from ui.store import WorkspaceStore

    settings = _settings(args)
    out = Path(args.file)
    _check_out(out)
    if not settings.workspace_db.is_file():
        raise UsageError(f"no ratings yet: {settings.workspace_db} does not exist (rate answers in `rag ui` first, "
                         "or set RAG_DATA_DIR to where its workspace is).")
    records, left_out = candidates(WorkspaceStore(settings.workspace_db).feedback(), settings)
    write_jsonl(records, out)
    skipped = f"; {left_out} rating(s) proposed no checkable question" if left_out else ""
    print(f"wrote {len(records)} candidate question(s) to {out}{skipped}. Review them, then: rag eval --gold {out}",
          file=sys.stderr)
    return 0


def _format_answer_dict(out: dict) -> str:
    return f"## {out['id']}: {out.get('question')}\n{out.get('answer', out.get('error'))}\n"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="rag", description="Cited answers from Hong Kong business bodies' policy papers."
    )
    parser.add_argument("--corpus", help="corpus folder (default: ./corpus, or RAG_CORPUS_DIR)")
    parser.add_argument("--index", help="index folder (default: ./index, or RAG_INDEX_DIR)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="build the index (only when the corpus changed, unless --force)")
    p.add_argument("--force", action="store_true")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("outline", help="print a document's section tree")
    p.add_argument("doc_id")
    p.set_defaults(func=cmd_outline)

    p = sub.add_parser("add", help="add a document to the corpus, for a body of the catalog or a new one")
    p.add_argument("file", help="the document: a .txt, .pdf or .docx file")
    p.add_argument("--body", required=True, help="body code (CMA, FHKI, BPA …), or a new code with --name-zh/--name-en")
    p.add_argument("--year", type=int, required=True, help="publication year, e.g. 2025")
    p.add_argument("--title-zh", required=True, help="the title as printed on the document")
    p.add_argument("--title-en", default="", help="an English title (optional)")
    p.add_argument("--kind", default="submission", help="e.g. submission, policy_address_submission")
    p.add_argument("--name-zh", help="a new body's full Chinese name")
    p.add_argument("--name-en", help="a new body's full English name")
    p.add_argument("--short-zh", action="append", help="a new body's short Chinese name; repeatable")
    p.add_argument("--short-en", action="append", help="a new body's short English name; repeatable")
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("replace", help="put a new file in place of a document's (same id, body and year)")
    p.add_argument("doc_id", help="the document's id, as `rag outline` and the catalog name it")
    p.add_argument("file", help="the new file: a .txt, .pdf or .docx document")
    p.set_defaults(func=cmd_replace)

    p = sub.add_parser("remove", help="remove a document from the corpus and its catalog")
    p.add_argument("doc_id", help="the document's id, as the catalog names it")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("ask", help="ask a question")
    p.add_argument("question", nargs="?")
    p.add_argument("--top-k", type=int, default=None)
    p.add_argument("--body", action="append", help="only this body (CMA, FHKI, BPA …); repeatable")
    p.add_argument("--year", type=int, action="append", help="only this year; repeatable")
    p.add_argument("--doc", action="append", help="only this document id; repeatable")
    p.add_argument("--mode", choices=[m.value for m in Mode])
    p.add_argument("--json", action="store_true", help="print the contract JSON")
    p.add_argument("--previous", help="the conversation's previous question: a follow-up (「那工總呢？」, "
                   "\"What about 2025?\") is read against it")
    p.add_argument("--batch", help="JSON Lines file of {id, question[, previous]} (or - for stdin)")
    p.add_argument("--format", choices=["md", "docx"], help="write a briefing with footnote citations")
    p.add_argument("--out", help="file for --format (Markdown goes to stdout without it)")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("feedback", help="members' thumbs up/down on answers in the UI")
    actions = p.add_subparsers(dest="action", required=True)
    p = actions.add_parser("export", help="write the ratings as candidate gold questions (JSON Lines), which "
                           "`rag eval --gold FILE` reads")
    p.add_argument("file", help="the JSON Lines file to write")
    p.set_defaults(func=cmd_feedback_export)

    p = sub.add_parser("eval", help="evaluate against a gold QA set", add_help=False)
    p.set_defaults(func=None)
    p = sub.add_parser("ui", help="start the chat UI on http://127.0.0.1:7860", add_help=False)
    p.set_defaults(func=None)
    return parser


def _global_flags(argv: list[str]) -> tuple[dict[str, Path], list[str]]:
    """For eval and ui: --corpus/--index (anywhere on the line) as Settings overrides, and the other arguments."""
    overrides: dict[str, Path] = {}
    rest, i = [], 0
    while i < len(argv):
        flag, _, value = argv[i].partition("=")
        if flag in ("--corpus", "--index"):
            if not value and i + 1 < len(argv):
                i += 1
                value = argv[i]
            overrides["corpus_dir" if flag == "--corpus" else "index_dir"] = Path(value)
        else:
            rest.append(argv[i])
        i += 1
    return overrides, rest


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # The CLI is the edge: it reads the environment into Settings once, and only here does `rag` reach into
    # the evaluation and the UI packages.
    overrides, rest = _global_flags(argv)
    if rest[:1] in (["eval"], ["ui"]):
        try:
            settings = Settings.from_env(**overrides)
        except ValueError as exc:
            return _fail(exc, 2)
        if rest[0] == "eval":
            from eval.cli import main as eval_main

            return eval_main(rest[1:], settings=settings)
        from ui.app import main as ui_main

        return ui_main(rest[1:], settings=settings)
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except (QuestionError, UsageError, CorpusError) as exc:
        return _fail(exc, 2)
    except (CatalogError, DecodeError, LexiconError, OSError) as exc:  # the corpus or the machine: exit 1
        return _fail(exc, 1)
    except ValueError as exc:  # a setting read from the environment, say RAG_TOP_K=abc
        return _fail(exc, 2)
    except KeyboardInterrupt:
        return 130


def _fail(exc: BaseException, code: int) -> int:
    print(f"rag: {exc}", file=sys.stderr)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
