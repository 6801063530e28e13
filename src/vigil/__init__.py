"""Vigil: tackling anti-social behaviour together."""

__version__ = "0.1.0"
