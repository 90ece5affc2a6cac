"""Impact analytics: pure functions over a columnar analysis frame (no ORM in here).

- ``frame``: the wide layout and ``build_frame`` from plain rows;
- ``sums``: additive per-cell sums (the snapshot's content);
- ``stats``: statistics derived from the sums;
- ``suppression``: small-cell floors and complementary suppression;
- ``family``: the protected family of tables every published view is a slice of;
- ``engine``: ``compute`` / ``compute_tables`` returning ``IndicatorTable`` and ``Cell`` (with an
  item's answer ``Distribution``);
- ``snapshot``: ``refresh`` and ``fold`` (incremental updates).
"""

from .engine import (
    OPTIONS,
    PAIRED,
    UNPAIRED,
    Cell,
    Distribution,
    IndicatorTable,
    compute,
    compute_tables,
)
from .frame import DIMENSIONS, AnalysisFrame, VocabularyError, build_frame
from .suppression import COORDINATOR_MIN_N, PUBLISHED_MIN_N, suppress

__all__ = [
    "COORDINATOR_MIN_N",
    "DIMENSIONS",
    "OPTIONS",
    "PAIRED",
    "PUBLISHED_MIN_N",
    "UNPAIRED",
    "AnalysisFrame",
    "Cell",
    "Distribution",
    "IndicatorTable",
    "VocabularyError",
    "build_frame",
    "compute",
    "compute_tables",
    "suppress",
]
