"""Test data for gongbao: synthetic gazette issues with their ground truth.

Not part of the runtime: the core and the site never import it (``.importlinter``);
the command line (``gongbao generate``, ``gongbao demo``), tests and benchmarks do.
"""
