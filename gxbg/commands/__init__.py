"""CLI commands, one module each (see gxbg/cli.py)."""
