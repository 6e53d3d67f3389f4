"""Publishers: write findings where people read them (files now; site and Data Docs later)."""
