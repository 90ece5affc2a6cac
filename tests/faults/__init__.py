"""Ingest under faults: concurrent submissions, a database going away, killed imports."""
