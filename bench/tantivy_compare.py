"""Benchmark: tantivy (tantivy-py) against the hub's own index, on bench/search.py's corpus.

Issue 17 asks to weigh tantivy against keeping the current index. Both engines get the same
synthetic catalogue (the 60 real resources plus noise, ``bench/search.py``'s ``synthetic``) and
the same judged queries (``tests/data/hub-queries.jsonl``); reported: build time, load time
after a restart, p95 latency of one query, peak RSS of the process, and P@5 / MRR / nDCG@5.

tantivy is not a dependency of the bot: install it apart to run this
(``pip install --target /tmp/tv tantivy`` then ``PYTHONPATH=/tmp/tv``). Each engine runs in its
own process so the RSS figures do not mix: ``python bench/tantivy_compare.py --engine tantivy``
and ``--engine hub`` (``--hub-snapshot FILE`` loads a pickled hub index instead of building it:
the build takes minutes at 100k).

Fields given to tantivy, as the hub weighs them: title (×3), summary (×1.5), the theme labels
in all four languages (×1, the hub's cross-lingual trick) and the meta words (×0.5), all with
tantivy's English stemming tokenizer; ``--fuzzy`` adds a one-edit fuzzy match on the title.
"""

from __future__ import annotations

import argparse
import pickle
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from search import (  # noqa: E402
    K,
    average,
    load_queries,
    load_sample,
    metrics,
    percentile,
    synthetic,
)

from bot.features.hub.docs import Doc  # noqa: E402
from bot.features.hub.fields import meta_terms, theme_terms  # noqa: E402
from bot.features.hub.index import SearchIndex  # noqa: E402
from bot.features.hub.snapshot import load_bytes  # noqa: E402

WEIGHTS = {"title": 3.0, "summary": 1.5, "themes": 1.0, "meta": 0.5}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_tantivy(docs: list[Doc], fuzzy: bool) -> dict[str, float]:
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True)
    for name in WEIGHTS:
        builder.add_text_field(name, stored=False, tokenizer_name="en_stem")
    schema = builder.build()
    folder = tempfile.mkdtemp()
    start = time.perf_counter()
    index = tantivy.Index(schema, path=folder)
    writer = index.writer(heap_size=128_000_000)
    themes: dict[tuple[str, ...], str] = {}
    for doc in docs:
        key = tuple(sorted(doc.themes))
        if key not in themes:
            themes[key] = " ".join(theme_terms(key))
        writer.add_document(
            tantivy.Document(
                id=doc.id,
                title=doc.title,
                summary=doc.summary,
                themes=themes[key],
                meta=" ".join(meta_terms(doc)),
            )
        )
    writer.commit()
    writer.wait_merging_threads()
    build = time.perf_counter() - start
    start = time.perf_counter()
    reopened = tantivy.Index.open(folder)  # a restart: open the files, no rebuild
    reopened.reload()
    searcher = reopened.searcher()
    load = time.perf_counter() - start
    by_id = {d.id: d for d in docs}
    fuzzy_fields = {"title": (False, 1, True)} if fuzzy else None
    times, rows = [], []
    for judged in load_queries():
        started = time.perf_counter()
        query, _errors = reopened.parse_query_lenient(
            judged.query, list(WEIGHTS), field_boosts=WEIGHTS
        ) if not fuzzy else (reopened.parse_query(
            " ".join(w for w in judged.query.replace('"', " ").split() if w.isalnum()) or "x",
            list(WEIGHTS), field_boosts=WEIGHTS, fuzzy_fields=fuzzy_fields), None)  # fmt: skip
        hits = searcher.search(query, K).hits
        ranked = [by_id[searcher.doc(address)["id"][0]] for _score, address in hits]
        times.append((time.perf_counter() - started) * 1000)
        rows.append(metrics(ranked, judged, docs))
    quality = average(rows)
    return {"build_s": build, "load_s": load, "p95_ms": percentile(times, 0.95), **quality}


def run_hub(docs: list[Doc], snapshot: Path | None) -> dict[str, float]:
    start = time.perf_counter()
    if snapshot is not None:
        index = load_bytes(snapshot.read_bytes())
        build = float("nan")
        load = time.perf_counter() - start
    else:
        index = SearchIndex(docs)
        build = time.perf_counter() - start
        data = pickle.dumps(index, pickle.HIGHEST_PROTOCOL)
        start = time.perf_counter()
        index = load_bytes(data)
        load = time.perf_counter() - start
        del data
    times, rows = [], []
    for judged in load_queries():
        started = time.perf_counter()
        ranked = [hit.doc for hit in index.search(judged.query, limit=K).hits]
        times.append((time.perf_counter() - started) * 1000)
        rows.append(metrics(ranked, judged, docs))
    return {"build_s": build, "load_s": load, "p95_ms": percentile(times, 0.95), **average(rows)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=("tantivy", "hub"), required=True)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--fuzzy", action="store_true", help="tantivy: fuzzy title match")
    parser.add_argument("--hub-snapshot", type=Path, help="hub: load this pickled index")
    args = parser.parse_args()
    docs = synthetic(load_sample(), args.size)
    before = _rss_mb()
    if args.engine == "tantivy":
        found = run_tantivy(docs, args.fuzzy)
    else:
        found = run_hub(docs, args.hub_snapshot)
    name = args.engine + (" (fuzzy title)" if args.fuzzy else "")
    print(
        f"| {name} | {args.size:,} | {found['build_s']:.1f} | {found['load_s']:.2f} "
        f"| {found['p95_ms']:.1f} | {before:.0f} → {_rss_mb():.0f} | {found['p5']:.2f} "
        f"| {found['mrr']:.2f} | {found['ndcg5']:.2f} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
