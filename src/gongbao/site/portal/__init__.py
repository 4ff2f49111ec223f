"""Saved web pages' own records: the portal's metadata table and the page's attachments."""
