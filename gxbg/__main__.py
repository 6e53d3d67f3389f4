from gxbg.cli import main

raise SystemExit(main())
