"""gongbao (公报): parse, check, archive and publish official government gazettes."""

__version__ = "0.1.0"
