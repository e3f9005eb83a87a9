"""Match scoring: how well each village product fits each exporter, computed by workers.

- ``scoring``: the pure score of one product-exporter pair (the specification, plain Python).
- ``kernel``: the same score compiled with Numba over whole HS-chapter blocks, keeping the best
  exporters per product and the best products per exporter.
- ``features``: turns database rows into the plain numbers both of them read.
- ``engine``: runs the kernel over feature tables, with the weights and organisations in force
  (``context``); ``store`` writes the results.
- ``incremental``: a product or an organisation changed, so its lists are recomputed.
- ``chunks`` / ``runs``: full rescores, chunk by chunk, merged once; the periodic sweep.
- ``follow_up``: the work a computation leaves for the workers, returned (never sent) by the
  domain; ``queue`` claims it once per id; ``tasks`` alone sends Celery tasks.
- ``actions``: what other packages (forums) offer on a recommended product, registered here.
- ``selectors`` / ``services``: what pages and the API read and write.
"""
