"""Suspicious messages and files sent to exiles: the Django side of the offline triage in
``shelter/digital`` (commands now; artefacts stored as case evidence, campaigns and feeds to follow)."""
