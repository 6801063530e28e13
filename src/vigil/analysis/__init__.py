"""Analysis that directs resources: hot spots, kernel density, repeats, near repeats, trends and
a ranked list of problems per neighbourhood.

The modules here compute on NumPy arrays and never write domain data. Loading incidents from the
store (restricted to what the acting user may see) is :mod:`vigil.analysis.load`; the use cases
that check permissions are in :mod:`vigil.services.analysis`.
"""
