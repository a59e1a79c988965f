from somevahti.cli import main

raise SystemExit(main())
