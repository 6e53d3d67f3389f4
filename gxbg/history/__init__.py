"""History of validated reports across batches (for the cross-year checks), in SQLite or PostgreSQL.

See gxbg.history.db for which database is used (GXBG_DATABASE_URL) and the tables.
"""

from gxbg.history.db import (
    ENV_URL,
    History,
    StoredReport,
    default_url,
    finding_key,
    open_history,
    report_hash,
    report_hashes,
    resolve_url,
)

__all__ = ["ENV_URL", "History", "StoredReport", "default_url", "finding_key", "open_history", "report_hash",
           "report_hashes", "resolve_url"]
