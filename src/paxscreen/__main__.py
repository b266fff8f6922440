from paxscreen.cli import main

raise SystemExit(main())
