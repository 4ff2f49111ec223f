"""The archive: gazettes, issues and their versions, documents, body nodes, findings, imports."""
