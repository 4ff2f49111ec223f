"""Full-text search: a tantivy index over character bigrams (engine.py); no Django imports."""
