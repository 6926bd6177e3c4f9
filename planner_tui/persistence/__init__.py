"""SQLite project storage (sqlite-utils): schema migrations, opening rules, the store."""
