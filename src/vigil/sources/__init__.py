"""Importers for the systems Vigil checks: data.police.uk files, ONS geography, partner lists."""
