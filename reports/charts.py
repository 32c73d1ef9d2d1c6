"""Line charts as geometry for inline SVG: points, a polyline and grid lines, no JavaScript.

The templates draw what this returns; every chart also has its numbers in a table.
"""

from __future__ import annotations

import math


def nice_maximum(value: float) -> float:
    """A round top for a count axis: 7 → 10, 23 → 25, 180 → 200 (at least 1)."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def line_chart(values: list[tuple[int, float | None]], maximum: float | None = None,
               width: int = 600, height: int = 200, pad: int = 30) -> dict | None:
    """A chart of (run, value) pairs, oldest first; None with fewer than two values.

    Without ``maximum`` the axis runs from 0 to a round number above the largest value.
    """
    known = [(run, value) for run, value in values if isinstance(value, (int, float))]
    if len(known) < 2:
        return None
    top = maximum or nice_maximum(max(value for _, value in known))
    step = (width - 2 * pad) / (len(known) - 1)

    def y(value: float) -> float:
        return round(height - pad - (value / top) * (height - 2 * pad), 1)

    points = [{"x": round(pad + i * step, 1), "y": y(value), "run": run, "value": value}
              for i, (run, value) in enumerate(known)]
    return {"points": points, "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
            "width": width, "height": height, "pad": pad,
            "grid": [{"value": int(v) if float(v).is_integer() else v, "y": y(v)}
                     for v in (0, top / 2, top)],
            "first": known[0][1], "last": known[-1][1]}
