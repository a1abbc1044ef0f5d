"""Country boundaries for the report map, from the vendored world-atlas TopoJSON (Natural Earth).

The report inlines boundaries as GeoJSON. To keep the page small, countries near the events (their
bounding box padded by PAD_DEGREES) come from the 1:50m file and the rest of the world from 1:110m;
coordinates are rounded to 0.01 degree (about 1 km), finer than either scale shows.
Own decoder (about 30 lines) because the PyPI `topojson` package pulls shapely/numpy stacks to do
the opposite direction; decoding TopoJSON is a fixed, small algorithm.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

PAD_DEGREES = 8.0
DECIMALS = 2

BBox = tuple[float, float, float, float]  # west, south, east, north


@lru_cache(maxsize=4)
def _topology(name: str) -> dict[str, Any]:
    path = resources.files("sitroom.data").joinpath("report", "world-atlas", name)
    return json.loads(path.read_text(encoding="utf-8"))


def _decoded_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Quantised, delta-encoded arcs -> absolute longitude/latitude points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((round(x * sx + tx, DECIMALS), round(y * sy + ty, DECIMALS)))
        out.append(points)
    return out


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[list[float]]:
    ring: list[list[float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        for i, (x, y) in enumerate(points):
            if i == 0 and ring:
                continue  # consecutive arcs share their end/start point
            if ring and ring[-1] == [x, y]:
                continue  # rounding can merge neighbouring points
            ring.append([x, y])
    return ring


def _unwrapped(ring: list[list[float]]) -> list[list[float]]:
    """A ring that crosses the antimeridian jumps by ~360 degrees between two points, which a flat
    map draws as a line across the world; continue it past +-180 instead. A ring that circles a
    pole (Antarctica) cannot be unwrapped and closed, so it is kept as it is."""
    out, offset, previous = [], 0.0, None
    for x, y in ring:
        if previous is not None:
            if x - previous > 180:
                offset -= 360
            elif x - previous < -180:
                offset += 360
        previous = x
        out.append([round(x + offset, DECIMALS), y])
    return out if out and out[0] == out[-1] else ring


def _geometry(geom: dict[str, Any], arcs: list[list[tuple[float, float]]]) -> dict[str, Any] | None:
    if geom.get("type") == "Polygon":
        rings = [_unwrapped(_ring(r, arcs)) for r in geom["arcs"]]
        return {"type": "Polygon", "coordinates": [r for r in rings if len(r) >= 4]}
    if geom.get("type") == "MultiPolygon":
        polys = [[r for r in (_unwrapped(_ring(ring, arcs)) for ring in poly) if len(r) >= 4]
                 for poly in geom["arcs"]]
        return {"type": "MultiPolygon", "coordinates": [p for p in polys if p]}
    return None


def _bboxes(geometry: dict[str, Any]) -> tuple[BBox, ...]:
    """One box per polygon: a country's overall box can span the globe (Alaska, Chukotka)."""
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    out = []
    for poly in polys:
        xs = [x for x, _ in poly[0]]
        ys = [y for _, y in poly[0]]
        out.append((min(xs), min(ys), max(xs), max(ys)))
    return tuple(out)


@lru_cache(maxsize=4)
def _countries(name: str) -> tuple[tuple[str, dict[str, Any], tuple[BBox, ...]], ...]:
    topology = _topology(name)
    arcs = _decoded_arcs(topology)
    out = []
    for geom in topology["objects"]["countries"]["geometries"]:
        geometry = _geometry(geom, arcs)
        if geometry is None or not geometry["coordinates"]:
            continue
        out.append((str(geom.get("properties", {}).get("name", "")), geometry, _bboxes(geometry)))
    return tuple(out)


def area_of(points: Iterable[tuple[float, float]], pad: float = PAD_DEGREES) -> BBox | None:
    """Padded bounding box of (latitude, longitude) points, or None when there are none."""
    pts = list(points)
    if not pts:
        return None
    lats, lons = [p[0] for p in pts], [p[1] for p in pts]
    return (min(lons) - pad, min(lats) - pad, max(lons) + pad, max(lats) + pad)


def _intersects(a: BBox, b: BBox) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def country_features(area: BBox | None) -> dict[str, Any]:
    """GeoJSON FeatureCollection of every country: 1:50m inside `area`, 1:110m elsewhere."""
    features = []
    detailed: set[str] = set()
    if area is not None:
        for name, geometry, boxes in _countries("countries-50m.json"):
            if any(_intersects(box, area) for box in boxes):
                detailed.add(name)
                features.append({"type": "Feature", "properties": {"name": name, "scale": "50m"},
                                 "geometry": geometry})
    for name, geometry, _boxes in _countries("countries-110m.json"):
        if name not in detailed:
            features.append({"type": "Feature", "properties": {"name": name, "scale": "110m"},
                             "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}
