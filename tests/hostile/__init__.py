"""Hostile input fed to the real endpoints: refused cleanly, nothing written, bounded."""
