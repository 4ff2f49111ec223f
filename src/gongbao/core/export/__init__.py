"""Exporters: the model out to other forms (JSON now; text outline; AKN later)."""
