"""Country boundaries for the report map, from the vendored world-atlas TopoJSON (Natural Earth).

The report inlines boundaries as GeoJSON. To keep the page small, countries near the events (their
bounding box padded by PAD_DEGREES) come from the 1:50m file and the rest of the world from 1:110m;
coordinates are rounded to 0.01 degree (about 1 km), finer than either scale shows.
Own decoder (a few numpy lines) because the PyPI `topojson` package pulls a shapely stack and is
built for encoding; decoding TopoJSON (delta-decode arcs, stitch rings) is a fixed, small algorithm.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

PAD_DEGREES = 8.0
DECIMALS = 2

BBox = tuple[float, float, float, float]  # west, south, east, north


@lru_cache(maxsize=4)
def _topology(name: str) -> dict[str, Any]:
    path = resources.files("sitroom.data").joinpath("report", "world-atlas", name)
    return json.loads(path.read_text(encoding="utf-8"))


def _decoded_arcs(topology: dict[str, Any]) -> list[np.ndarray]:
    """Quantised, delta-encoded arcs -> absolute longitude/latitude points (one array per arc)."""
    scale = np.asarray(topology["transform"]["scale"], dtype=float)
    translate = np.asarray(topology["transform"]["translate"], dtype=float)
    return [np.round(np.cumsum(np.asarray(arc, dtype=np.int64), axis=0) * scale + translate,
                     DECIMALS) for arc in topology["arcs"]]


def _ring(indexes: list[int], arcs: list[np.ndarray]) -> list[list[float]]:
    parts = []
    for n, index in enumerate(indexes):
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        parts.append(points if n == 0 else points[1:])  # consecutive arcs share an end point
    ring = np.concatenate(parts) if parts else np.zeros((0, 2))
    if len(ring) > 1:  # rounding can merge neighbouring points
        keep = np.concatenate([[True], np.any(ring[1:] != ring[:-1], axis=1)])
        ring = ring[keep]
    return _unwrapped(ring).tolist()


def _unwrapped(ring: np.ndarray) -> np.ndarray:
    """A ring that crosses the antimeridian jumps by ~360 degrees between two points, which a flat
    map draws as a line across the world; continue it past +-180 instead. A ring that circles a
    pole (Antarctica) cannot be unwrapped and closed, so it is kept as it is."""
    if len(ring) < 2:
        return ring
    dx = np.diff(ring[:, 0])
    jumps = np.concatenate([[0.0], np.cumsum(np.where(dx > 180, -360.0, 0.0)
                                             + np.where(dx < -180, 360.0, 0.0))])
    if not jumps.any():
        return ring
    out = ring.copy()
    out[:, 0] = np.round(out[:, 0] + jumps, DECIMALS)
    return out if np.array_equal(out[0], out[-1]) else ring


def _geometry(geom: dict[str, Any], arcs: list[np.ndarray]) -> dict[str, Any] | None:
    if geom.get("type") == "Polygon":
        rings = [_ring(r, arcs) for r in geom["arcs"]]
        return {"type": "Polygon", "coordinates": [r for r in rings if len(r) >= 4]}
    if geom.get("type") == "MultiPolygon":
        polys = [[r for r in (_ring(ring, arcs) for ring in poly) if len(r) >= 4]
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
