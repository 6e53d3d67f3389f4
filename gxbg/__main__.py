from gxbg.cli import console

raise SystemExit(console())
