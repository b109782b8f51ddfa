"""Red Notices, diffusions, extradition requests, deportation orders and national or interstate lists:
imported or entered, stored with every version, screened against the registry, triaged and assessed
for signs of abuse. How a Red Notice becomes an alert, in order:

- ``sources/``: plain Python, no Django — Interpol API responses (``interpol``), OpenSanctions
  FollowTheMoney lines (``opensanctions``), files of either (``files``), the crawler of Interpol's
  public API (``fetch``);
- ``importing``: storing what the sources read, idempotent by reference, every version kept;
- ``triage``: screening each new or changed notice against the registry into alerts, and the
  decisions on them (confirm, dismiss, escalate);
- ``abuse``: the signs of abuse in a notice (engine: ``shelter.assessment.indicators``), fed by
  ``facts``, Shelter's records as the assessments read them.

The app's label is still ``wanted``, its first name, so that its tables and migrations keep theirs.
"""
