"""Unit tests of app.handlers (standard library only)."""
