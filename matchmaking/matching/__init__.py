"""Match scoring: how well each village product fits each exporter, computed by workers.

- ``scoring``: the pure score of one product-exporter pair (the specification, plain Python).
- ``kernel``: the same score compiled with Numba over whole HS-chapter blocks, keeping the best
  exporters per product and the best products per exporter.
- ``features``: turns database rows into the plain numbers both of them read.
- ``engine``: incremental and full rescoring, writing the results (``store``).
- ``selectors`` / ``services``: what pages and the API read and write.
"""
