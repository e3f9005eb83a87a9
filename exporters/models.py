"""Exporter directory: exporter and buyer organisations (built in the exporter-directory issue)."""
