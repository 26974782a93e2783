"""Helpers that tests share: event builders, fakes, the broker and worker harnesses."""
