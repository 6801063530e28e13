"""GeoJSON (WGS84) for the map and the exports: grid cells with Gi* and counts, LSOA points."""

from __future__ import annotations

from typing import Any

import numpy as np

from vigil.analysis.frame import IncidentFrame
from vigil.analysis.geo import to_wgs84
from vigil.analysis.grid import Grid

ATTRIBUTION = ("Contains public sector information licensed under the Open Government Licence "
               "v3.0 (data.police.uk). Source: Office for National Statistics licensed under the "
               "Open Government Licence v3.0. Contains OS data © Crown copyright and database "
               "right.")

Feature = dict[str, Any]


def cell_polygons(grid: Grid, cells: np.ndarray) -> list[list[list[float]]]:
    """The outline of each cell as a closed ring of [longitude, latitude] pairs."""
    col = cells % grid.nx
    row = cells // grid.nx
    x0 = grid.x0 + col * grid.cell
    y0 = grid.y0 + row * grid.cell
    corners_x = np.stack([x0, x0 + grid.cell, x0 + grid.cell, x0, x0], axis=1)
    corners_y = np.stack([y0, y0, y0 + grid.cell, y0 + grid.cell, y0], axis=1)
    lon, lat = to_wgs84(corners_x.ravel(), corners_y.ravel())
    lon = np.round(lon.reshape(-1, 5), 6)
    lat = np.round(lat.reshape(-1, 5), 6)
    return [[[float(a), float(b)] for a, b in zip(lo, la, strict=True)]
            for lo, la in zip(lon, lat, strict=True)]


def collection(features: list[Feature], **properties: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "attribution": ATTRIBUTION, **properties,
            "features": features}


def cell_features(grid: Grid, cells: np.ndarray,
                  properties: dict[str, np.ndarray]) -> list[Feature]:
    """One polygon per cell with the given per-cell properties (NumPy values made plain)."""
    rings = cell_polygons(grid, cells)
    columns = {name: np.asarray(values).tolist() for name, values in properties.items()}
    return [{"type": "Feature", "id": int(cell),
             "geometry": {"type": "Polygon", "coordinates": [ring]},
             "properties": {name: values[k] for name, values in columns.items()}}
            for k, (cell, ring) in enumerate(zip(cells.tolist(), rings, strict=True))]


def lsoa_features(frame: IncidentFrame, lsoas: tuple[str, ...]) -> list[Feature]:
    """LSOA centroids with population and incidents in the period."""
    in_period = frame.lsoa[frame.in_period]
    codes, counts = np.unique(in_period.astype(str), return_counts=True) if len(
        in_period) else (np.array([]), np.array([]))
    per_lsoa = dict(zip(codes.tolist(), counts.tolist(), strict=True))
    features: list[Feature] = []
    for code in lsoas:
        area = frame.areas.get(code)
        if area is None or area.latitude is None or area.longitude is None:
            continue
        features.append({
            "type": "Feature", "id": code,
            "geometry": {"type": "Point", "coordinates": [area.longitude, area.latitude]},
            "properties": {"code": code, "name": area.name, "population": area.population,
                           "neighbourhood": area.neighbourhood_name,
                           "incidents": per_lsoa.get(code, 0)},
        })
    return features
