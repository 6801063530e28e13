"""Coordinates: WGS84 longitude/latitude to and from British National Grid metres."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import NDArray
from pyproj import Transformer

BNG = "EPSG:27700"
WGS84 = "EPSG:4326"

FloatArray = NDArray[np.float64]


@lru_cache(maxsize=2)
def _transformer(source: str, target: str) -> Transformer:
    return Transformer.from_crs(source, target, always_xy=True)


def to_bng(longitude: FloatArray, latitude: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Easting and northing in metres (EPSG:27700) for WGS84 points; NaN stays NaN."""
    lon = np.asarray(longitude, dtype=np.float64)
    lat = np.asarray(latitude, dtype=np.float64)
    x, y = _transformer(WGS84, BNG).transform(lon, lat)
    return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)


def to_wgs84(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Longitude and latitude for British National Grid points."""
    lon, lat = _transformer(BNG, WGS84).transform(np.asarray(x, dtype=np.float64),
                                                  np.asarray(y, dtype=np.float64))
    return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
