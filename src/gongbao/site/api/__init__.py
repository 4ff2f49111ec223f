"""The REST API under ``/api/v1/`` (django-ninja): see docs/api.md."""
