"""The concordance's cost (issue 15): `align` on the samples, on the longest UN declaration, and on the inputs that
bound its work (thousands of paragraphs, versions far apart, a paragraph of thousands of numbers).

    .venv/bin/python bench/concordance.py

Times on a shared machine vary: the load average is printed with them. Nothing is asserted.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARED = Path(os.environ.get("ACCORD_SHARED_DIR") or ROOT.parent / "shared")
DECLARATIONS = SHARED / "samples/declarations"


def lines(path: Path) -> list[str]:
    return [t for t in path.read_text(encoding="utf-8").splitlines() if t.strip()]


def best_of(runs: int, work: Callable[[], object]) -> tuple[float, float]:
    """Median and best wall time of ``runs`` calls, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def cases() -> dict[str, tuple[dict[str, list[str]], int]]:
    from flows import samples

    water = {lang: lines(samples.source_path(lang)) for lang in ("en", "es")}
    found = {
        "water-resilience en/es, 48 paragraphs": (water, 20),
        "water-resilience, es missing paragraph 9": (
            {"en": water["en"], "es": water["es"][:8] + water["es"][9:]},
            20,
        ),
    }
    drugs = [DECLARATIONS / f"eu-celac-drugs-hlm-sample.{lang}.txt" for lang in ("en", "es")]
    if all(p.exists() for p in drugs):
        found["eu-celac-drugs en/es, 47 paragraphs"] = (
            {"en": lines(drugs[0]), "es": lines(drugs[1])},
            20,
        )
    doha = DECLARATIONS / "un-ga-doha-political-declaration-2025.en.txt"
    if doha.exists():
        text = lines(doha)
        found["doha en against itself as fr, 169 paragraphs"] = ({"en": text, "fr": text}, 5)
        found["doha, fr missing paragraph 100"] = ({"en": text, "fr": text[:99] + text[100:]}, 5)
    big = [f"{i}. Commit to act by 2030 on {i} per cent of item {i}" for i in range(1, 10_001)]
    found["10,000 paragraphs (the upload limit) each"] = ({"en": big, "es": big}, 1)
    found["10,000 against 9,990 paragraphs"] = ({"en": big, "es": big[:9990]}, 1)
    found["600 against 440 paragraphs (far apart, aligned)"] = (
        {"en": big[:600], "es": big[:440]},
        1,
    )
    numbers = ", ".join(str(n) for n in range(20_000))
    found["one paragraph of 20,000 numbers"] = ({"en": [numbers], "es": [numbers[::-1]]}, 1)
    return found


def main() -> None:
    from drafting.concordance import align

    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    for name, (versions, runs) in cases().items():
        median, best = best_of(runs, lambda versions=versions: align(versions))
        print(
            f"{name:52} median {median:9.1f} ms  best {best:9.1f} ms  ({runs} run{'s' if runs > 1 else ''})"
        )


if __name__ == "__main__":
    main()
