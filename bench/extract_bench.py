"""Extraction benchmark: kg extract's time against the size of a text, in references and in lines.

Three synthetic texts per size: one line of N references to the same resolution ("Căn cứ Nghị quyết
số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị, " N times), N one-sentence lines, and one sentence of N
clauses that each report and assign (a table pasted from a PDF as one line: cubic before the fix
of 2026-12-01 in the report rule, 45 s for 200 clauses). Times are in
process (ingest.extract.pipeline.extract_text, best of --repeats), so they leave out the CLI's start.
The last line is the key ratio: microseconds per reference at the largest size over the smallest
(1.0 = linear; the code was quadratic before 2026-12-01: 39.7 s for one line of 4,000).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import end_run, save, start_run  # noqa: E402
from bench.ingest_bench import table  # noqa: E402
from ingest.extract.pipeline import extract_text  # noqa: E402

REFERENCE = "Căn cứ Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị"
CLAUSE = ("Sở Tài chính báo cáo Ủy ban nhân dân tỉnh Long An định kỳ hằng năm, giao Sở Công Thương thực hiện "
          "Nghị quyết số {i}-NQ/TU")
SHAPES = ("one line", "lines", "one sentence of clauses")


def texts(n: int) -> dict[str, str]:
    return {"one line": "Kế hoạch thực hiện\n" + (REFERENCE + ", ") * n + "\n",
            "lines": "Kế hoạch thực hiện\n" + "\n".join([REFERENCE + "."] * n) + "\n",
            "one sentence of clauses": "Tỉnh ủy Long An ban hành Kế hoạch số 30-KH/TU. "
                                       + ", ".join(CLAUSE.format(i=i) for i in range(n)) + "."}


def best(text: str, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        extract_text(text)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,1000,2000,4000,8000", help="comma list of reference counts")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    run = start_run()
    sizes = [int(s) for s in args.sizes.split(",")]
    extract_text(texts(10)["lines"])  # warm the gazetteer and the regex caches
    rows = []
    for n in sizes:
        for shape, text in texts(n).items():
            secs = best(text, args.repeats)
            rows.append({"shape": shape, "references": n, "chars": len(text), "seconds": secs,
                         "us_per_reference": secs / n * 1e6})
            print(f"  {shape:23} {n:6} references  {secs:7.3f} s", flush=True)
    print(table(["text", "references", "chars", "seconds", "µs/reference"],
                [[r["shape"], r["references"], f"{r['chars']:,}", f"{r['seconds']:.3f}",
                  f"{r['us_per_reference']:.0f}"] for r in rows]))
    save(args.json, "extract", rows, end_run(run))
    parts = []
    for shape in SHAPES:
        mine = [r for r in rows if r["shape"] == shape]
        parts.append(f"{shape}: {mine[-1]['us_per_reference'] / mine[0]['us_per_reference']:.2f}x the µs per "
                     f"reference at {mine[-1]['references']:,} as at {mine[0]['references']:,} (1.00 = linear)")
    print("; ".join(parts))


if __name__ == "__main__":
    main()
