#!/usr/bin/env python3
"""Builds a labelled clustering set for `hiroba eval clustering` from a BEIR queries.jsonl whose query ids
are <article>p<paragraph>q<n> (../shared/data/ja_retrieval): each question is a comment, its Wikipedia
article (the id's prefix before "p") its true topic.

usage: bench/make_clustering_set.py ../shared/data/ja_retrieval/queries.jsonl OUT.jsonl
"""
import json
import sys

if len(sys.argv) != 3:
    sys.exit(__doc__)
with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as out:
    n = 0
    for line in src:
        if not line.strip():
            continue
        q = json.loads(line)
        label = q["id"].split("p")[0]
        out.write(json.dumps({"text": q["text"], "label": label}, ensure_ascii=False) + "\n")
        n += 1
print(f"{n} items -> {sys.argv[2]}", file=sys.stderr)
