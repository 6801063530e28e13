"""The identification engine: normalise, block, score, explain, cluster.

Usable on its own from Python (:func:`vigil.identify.features.features_of`,
:class:`vigil.identify.model.Model`, :func:`vigil.identify.score.score_pair`), from the command
line (``vigil identify``, ``vigil link``) and, through ``services.identification``, the web.
"""
