"""Subcommands of the ``gongbao`` command line, one module each."""
