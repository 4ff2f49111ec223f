"""Open data and authenticity: bulk downloads, feeds, AKN, citations, manifests, signed PDFs."""
