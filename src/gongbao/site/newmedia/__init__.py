"""New media: WeChat-ready article exports and share cards of published documents and issues."""
