"""Everything that links a product to an exporter: scores, inquiries, forums, meetings."""
