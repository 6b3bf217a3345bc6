"""Unit tests of app.handlers and app.main (standard library only)."""
