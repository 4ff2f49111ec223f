"""Public pages: home, years, issues, documents, search."""
